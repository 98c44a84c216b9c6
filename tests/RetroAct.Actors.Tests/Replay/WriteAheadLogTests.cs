using System.Text;
using RetroAct.Actors.Replay;

namespace RetroAct.Actors.Tests.Replay;

public sealed class WriteAheadLogTests : IDisposable
{
    private const int Magic = 8, Header = 12;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Record(int i) => Encoding.UTF8.GetBytes($"record number {i} " + new string('x', i * 10));

    private string WriteLog(int records)
    {
        var path = _dir.File("replay.wal");
        using var log = new WriteAheadLog(path);
        log.Recover();
        for (int i = 0; i < records; i++) log.Append(Record(i));
        return path;
    }

    private static long OffsetOfRecord(int index) => Magic + Enumerable.Range(0, index).Sum(i => (long)Header + Record(i).Length);

    [Fact]
    public void Crc32_matches_the_standard_check_value() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Fact]
    public void Records_appended_for_a_group_commit_come_back_after_the_flush()
    {
        var path = _dir.File("replay.wal");
        using (var log = new WriteAheadLog(path))
        {
            log.Recover();
            for (int i = 0; i < 4; i++) log.Append(Record(i), durable: false);
            log.Flush();
        }

        using var reopened = new WriteAheadLog(path);
        Assert.Equal(Enumerable.Range(0, 4).Select(Record), reopened.Recover().Records);
    }

    [Fact]
    public void Appended_records_come_back_in_order_after_reopening()
    {
        var path = WriteLog(5);

        using var log = new WriteAheadLog(path);
        var recovery = log.Recover();

        Assert.True(recovery.WasClean);
        Assert.Equal(Enumerable.Range(0, 5).Select(Record), recovery.Records);
    }

    [Fact]
    public void A_torn_last_record_is_cut_off_and_reported_and_appending_continues_after_the_last_good_one()
    {
        var path = WriteLog(3);
        // Simulate a crash half-way through writing a fourth record.
        var full = new byte[Header + Record(3).Length];
        using (var raw = new WriteAheadLog(_dir.File("scratch.wal"))) { raw.Recover(); raw.Append(Record(3)); }
        Array.Copy(File.ReadAllBytes(_dir.File("scratch.wal")), Magic, full, 0, full.Length);
        using (var file = new FileStream(path, FileMode.Append)) file.Write(full, 0, full.Length / 2);

        using (var log = new WriteAheadLog(path))
        {
            var recovery = log.Recover();
            Assert.Equal(3, recovery.Records.Count);
            Assert.Equal(full.Length / 2, recovery.TruncatedBytes);
            Assert.Contains("torn record", recovery.TruncationReason);
            Assert.Equal(OffsetOfRecord(3), new FileInfo(path).Length);
            log.Append(Record(9));
        }

        using var reopened = new WriteAheadLog(path);
        var again = reopened.Recover();
        Assert.True(again.WasClean);
        Assert.Equal(Record(9), again.Records[^1]);
        Assert.Equal(4, again.Records.Count);
    }

    [Fact]
    public void A_torn_header_is_cut_off()
    {
        var path = WriteLog(2);
        using (var file = new FileStream(path, FileMode.Append)) file.Write([1, 2, 3, 4, 5]);

        using var log = new WriteAheadLog(path);
        var recovery = log.Recover();

        Assert.Equal(2, recovery.Records.Count);
        Assert.Equal(5, recovery.TruncatedBytes);
        Assert.Contains("torn record header", recovery.TruncationReason);
    }

    [Fact]
    public void A_corrupt_payload_in_the_middle_is_skipped_and_the_records_after_it_survive()
    {
        var path = WriteLog(5);
        var bytes = File.ReadAllBytes(path);
        bytes[OffsetOfRecord(2) + Header + 3] ^= 0xFF; // flip a payload byte of record 2
        File.WriteAllBytes(path, bytes);

        using var log = new WriteAheadLog(path);
        var recovery = log.Recover();

        Assert.Equal(new[] { 0, 1, 3, 4 }.Select(Record), recovery.Records);
        Assert.Equal(1, recovery.SkippedCorruptRecords);
        Assert.Equal(Header + Record(2).Length, recovery.SkippedBytes);
        Assert.Equal(0, recovery.TruncatedBytes);
    }

    [Fact]
    public void A_corrupt_length_cannot_be_skipped_past_so_the_rest_is_cut_off_and_reported()
    {
        var path = WriteLog(5);
        var bytes = File.ReadAllBytes(path);
        bytes[OffsetOfRecord(3)] ^= 0x01; // length no longer matches its complement
        File.WriteAllBytes(path, bytes);

        using var log = new WriteAheadLog(path);
        var recovery = log.Recover();

        Assert.Equal(3, recovery.Records.Count);
        Assert.Equal(bytes.Length - OffsetOfRecord(3), recovery.TruncatedBytes);
        Assert.Contains("corrupt record length", recovery.TruncationReason);
    }

    [Fact]
    public void A_bad_checksum_on_the_last_record_cuts_it_off()
    {
        var path = WriteLog(3);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        using var log = new WriteAheadLog(path);
        var recovery = log.Recover();

        Assert.Equal(2, recovery.Records.Count);
        Assert.Contains("CRC mismatch in the last record", recovery.TruncationReason);
    }

    [Fact]
    public void A_file_that_is_not_a_log_is_refused_untouched()
    {
        var path = _dir.File("notes.txt");
        File.WriteAllText(path, "precious notes, not a log");

        using var log = new WriteAheadLog(path);
        Assert.Contains("not a RetroAct write-ahead log", Assert.Throws<InvalidDataException>(() => log.Recover()).Message);
        log.Dispose();
        Assert.Equal("precious notes, not a log", File.ReadAllText(path));
    }

    [Fact]
    public void A_torn_file_header_starts_a_fresh_log()
    {
        var path = _dir.File("new.wal");
        File.WriteAllBytes(path, "RAW"u8.ToArray()); // a crash while the log was being created

        using var log = new WriteAheadLog(path);
        var recovery = log.Recover();
        log.Append(Record(1));

        Assert.Empty(recovery.Records);
        Assert.Equal(3, recovery.TruncatedBytes);
        Assert.Equal(Magic + Header + Record(1).Length, new FileInfo(path).Length);
    }

    [Fact]
    public void Appending_before_recovering_is_refused()
    {
        using var log = new WriteAheadLog(_dir.File("fresh.wal"));

        Assert.Throws<InvalidOperationException>(() => log.Append([1]));
    }

    [Fact]
    public void Rewrite_replaces_the_records_and_appending_continues()
    {
        var path = WriteLog(5);
        using (var log = new WriteAheadLog(path))
        {
            log.Recover();
            log.Rewrite([Record(1), Record(3)]);
            Assert.Equal(2, log.RecordCount);
            log.Append(Record(7));
        }

        using var reopened = new WriteAheadLog(path);
        Assert.Equal(new[] { 1, 3, 7 }.Select(Record), reopened.Recover().Records);
        Assert.False(File.Exists(path + ".compacting"));
    }
}
