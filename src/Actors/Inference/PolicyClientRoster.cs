namespace RetroAct.Actors.Inference;

/// <summary>
/// A PolicyServer's own workers and whether each is playing (it may still ask) or idle (it said it will not ask until
/// its next request). A worker becomes known by its first <see cref="Protocol.PolicyClientStatus"/>. Pure state; the
/// server owns it. With no known worker the server batches by max batch and max wait alone.
/// </summary>
internal sealed class PolicyClientRoster<TClient> where TClient : notnull
{
    private readonly Dictionary<TClient, bool> _idle = [];

    /// <summary>Known workers.</summary>
    public int Count => _idle.Count;

    /// <summary>Whether <paramref name="client"/> is one of the known workers.</summary>
    public bool Knows(TClient client) => _idle.ContainsKey(client);

    /// <summary><paramref name="client"/> may ask (<paramref name="mayAsk"/>) or will not until its next request; it becomes known if it was not.</summary>
    public void Status(TClient client, bool mayAsk) => _idle[client] = !mayAsk;

    /// <summary><paramref name="client"/> asked: a known worker is playing again.</summary>
    public void Asked(TClient client)
    {
        if (_idle.ContainsKey(client)) _idle[client] = false;
    }

    /// <summary>Forgets <paramref name="client"/> (it stopped).</summary>
    public void Remove(TClient client) => _idle.Remove(client);

    /// <summary>
    /// True when a request waits and every known worker that is playing has a request among <paramref name="waiting"/>:
    /// no one else will join the batch, so waiting longer only delays it.
    /// </summary>
    public bool NobodyElseWillAsk(IReadOnlySet<TClient> waiting)
    {
        if (_idle.Count == 0 || waiting.Count == 0) return false;
        foreach (var (client, idle) in _idle)
            if (!idle && !waiting.Contains(client)) return false;
        return true;
    }
}
