namespace RetroAct.Cli.Commands;

/// <summary>A user error: printed as one clear line on stderr, exit code 2, no stack trace.</summary>
public sealed class CliUsageException(string message) : Exception(message);

/// <summary>Runs a command body and turns user errors into a clear message and exit code 2.</summary>
public static class CliRun
{
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (CliUsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                                       or Environments.Remote.RemoteEnvironmentUnavailableException
                                       or Environments.Sql.SqlBackendUnavailableException
                                       or Actors.Hosting.ClusterJoinFailedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
