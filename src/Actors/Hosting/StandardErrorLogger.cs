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
        Receive<LogEvent>(e => Console.Error.WriteLine(e.ToString()));
    }
}
