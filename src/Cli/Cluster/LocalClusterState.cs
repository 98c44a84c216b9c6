using System.Text.Json;

namespace RetroAct.Cli.Cluster;

/// <summary>One process started by <c>retroact cluster up</c>.</summary>
public sealed record LocalNode(string Name, string Roles, int Port, int Pid, string Log);

/// <summary>What <c>cluster up</c> started, kept in a state file so <c>cluster status</c> and <c>cluster down</c> can find the processes.</summary>
public sealed record LocalClusterState(string RunDir, IReadOnlyList<LocalNode> Nodes)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Default state file, in the working directory.</summary>
    public const string DefaultPath = ".retroact-cluster.json";

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>The state in <paramref name="path"/>, or null when no cluster was started from here.</summary>
    public static LocalClusterState? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<LocalClusterState>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path}: empty cluster state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a cluster state file ({e.Message})", e);
        }
    }
}
