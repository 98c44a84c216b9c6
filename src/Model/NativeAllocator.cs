using System.Runtime.InteropServices;

namespace RetroAct.Model;

/// <summary>
/// Tunes glibc's malloc for libtorch tensors allocated on threads other than the process's main thread (the actor
/// runtime's learner and policy servers run on their own threads). Each such thread gets its own malloc arena, and
/// glibc gave the arena's free memory back to the kernel after nearly every generation step, so the next step faulted
/// the same pages in again: the learner's evaluation in the actor runtime took 192,164 minor page faults and 1.3 s of
/// kernel time per 5 s, against 1,799 faults and 0.02 s for the same evaluation on the main thread, and ran twice as
/// long (quick preset, one libtorch thread). Fixing the thresholds (which also stops glibc's dynamic adjustment) keeps
/// freed memory in the arenas, up to <see cref="TrimThresholdBytes"/> each.
/// </summary>
public static class NativeAllocator
{
    // mallopt parameters (malloc.h).
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;

    /// <summary>Allocations up to this size come from the arenas rather than their own mapping (glibc's maximum, 32 MiB on 64-bit).</summary>
    public const int MmapThresholdBytes = 32 * 1024 * 1024;

    /// <summary>Free memory an arena keeps before it trims (returns) the excess to the kernel.</summary>
    public const int TrimThresholdBytes = 256 * 1024 * 1024;

    private static int _tuned;

    /// <summary>
    /// Sets the thresholds once per process, on Linux with glibc; elsewhere (or when <c>RETROACT_MALLOC_TUNING=0</c>)
    /// it does nothing. Returns whether the thresholds are now set. Call it before the threads that allocate tensors start.
    /// </summary>
    public static bool Tune()
    {
        if (Volatile.Read(ref _tuned) != 0) return _tuned == 1;
        bool tuned = false;
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("RETROACT_MALLOC_TUNING") != "0")
        {
            try
            {
                tuned = mallopt(M_MMAP_THRESHOLD, MmapThresholdBytes) == 1 & mallopt(M_TRIM_THRESHOLD, TrimThresholdBytes) == 1;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Not glibc (e.g. musl): its allocator has no such thresholds.
            }
        }
        Volatile.Write(ref _tuned, tuned ? 1 : 2);
        return tuned;
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
