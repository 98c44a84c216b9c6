namespace RetroAct.Actors.Replay;

/// <summary>
/// What <see cref="WriteAheadLog.Recover"/> found: the intact records in order, the damaged records it skipped in the
/// middle of the log, and the torn or corrupt tail it cut off (with the reason).
/// </summary>
public sealed record WalRecovery(
    IReadOnlyList<byte[]> Records,
    int SkippedCorruptRecords,
    long SkippedBytes,
    long TruncatedBytes,
    string? TruncationReason)
{
    /// <summary>True when the log was intact: nothing skipped, nothing cut off.</summary>
    public bool WasClean => SkippedCorruptRecords == 0 && TruncatedBytes == 0;

    public override string ToString() =>
        WasClean
            ? $"{Records.Count} records, clean"
            : $"{Records.Count} records; skipped {SkippedCorruptRecords} corrupt records ({SkippedBytes} bytes); " +
              $"truncated {TruncatedBytes} bytes{(TruncationReason is null ? "" : $" ({TruncationReason})")}";
}
