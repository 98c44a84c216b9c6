using System.Runtime.ExceptionServices;

namespace RetroAct.Actors.Hosting;

/// <summary>
/// Runs libtorch work on a thread that ends when the work does, so that the OpenMP team libtorch gave that thread
/// ends too (see <see cref="ComputeDispatcher"/>: libgomp counts the threads of every team alive in the process).
/// </summary>
public static class ThreadOfItsOwn
{
    /// <summary>Runs <paramref name="work"/> on a new thread named <paramref name="name"/>, waits for it, and returns its result or rethrows its exception.</summary>
    public static T Run<T>(string name, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        // 16 MiB of stack, above the main thread's usual 8 MiB (ulimit -s) where this work ran before; .NET gives new threads 1.5 MiB.
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 16 * 1024 * 1024) { Name = name };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
