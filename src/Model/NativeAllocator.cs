using System.Runtime.InteropServices;

namespace RetroAct.Model;

/// <summary>
/// Tunes glibc's malloc for libtorch tensors allocated on threads other than the process's main thread (the actor
/// runtime's learner and policy servers run on their own threads). Each such thread gets its own malloc arena, built
/// from 64 MiB heaps, and glibc gave the arena's free memory back to the kernel after nearly every generation step, so
/// the next step faulted the same pages in again. Two mechanisms did it: the trim of a heap's free top (stopped by a
/// fixed <see cref="TrimThresholdBytes"/>, which also ends glibc's dynamic adjustment of the thresholds), and the
/// deletion of a whole heap that fell empty, which glibc does whatever the trim threshold (stopped by a top pad as
/// large as a heap, <see cref="TopPadBytes"/>). Measured on the quick preset during the actor runtime's evaluation, per
/// 8–10 s: 472,895 minor faults and 4.2 s of kernel time with the thresholds alone, 3,088 faults and 1.1 s with the top
/// pad too. (Limiting the arenas to one with mallopt does not help: threads then share the arenas made before it ran.)
/// </summary>
public static class NativeAllocator
{
    // mallopt parameters (malloc.h).
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_TOP_PAD = -2;
    private const int M_MMAP_THRESHOLD = -3;

    /// <summary>Allocations up to this size come from the arenas rather than their own mapping (glibc's maximum, 32 MiB on 64-bit).</summary>
    public const int MmapThresholdBytes = 32 * 1024 * 1024;

    /// <summary>
    /// Free memory an arena keeps before it trims (returns) the excess to the kernel. 1 GiB: with 256 MiB, a process
    /// that generated from a loaded checkpoint (a policy server, <c>eval</c>, <c>Imitation:InitFrom</c>) trimmed the
    /// prefill's freed activations after every batch and faulted them in again: 3.8 M minor faults and 26 s of kernel
    /// time in a quick-preset run, whose collection took 29–34 s against 19 s with 1 GiB (the same episodes).
    /// </summary>
    public const int TrimThresholdBytes = 1024 * 1024 * 1024;

    /// <summary>Extra room kept at the top of an arena; as large as a thread arena's heap, so that glibc never deletes a heap that fell empty.</summary>
    public const int TopPadBytes = 64 * 1024 * 1024;

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
                tuned = mallopt(M_MMAP_THRESHOLD, MmapThresholdBytes) == 1 & mallopt(M_TRIM_THRESHOLD, TrimThresholdBytes) == 1
                        & mallopt(M_TOP_PAD, TopPadBytes) == 1;
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
