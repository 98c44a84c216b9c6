using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace RetroAct.Actors.Hosting;

/// <summary>
/// An Akka logger that writes to standard error, like the CLI's own progress lines: standard output carries only
/// the command's results (which scripts and tests parse), and Akka's default logger would write to it.
/// </summary>
public sealed class StandardErrorLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public StandardErrorLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => Console.Error.WriteLine(Readable(e)));
    }

    /// <summary>
    /// Akka's line with the log source's escapes undone: remoting actors are named after the peer's URL-escaped
    /// address (endpointReader-akka.tcp%3A%2F%2Fretroact%40host%3A4055-1), and the peer is what a reader looks for.
    /// </summary>
    public static string Readable(LogEvent e)
    {
        string line = e.ToString();
        string? source = e.LogSource;
        return source is not null && source.Contains('%', StringComparison.Ordinal)
            ? line.Replace(source, Uri.UnescapeDataString(source), StringComparison.Ordinal)
            : line;
    }
}
