using RetroAct.Actors.Weights;

namespace RetroAct.Actors.Tests.Weights;

/// <summary>Test blobs, and putting one behind a weight server as a kept version (as the WeightStore would).</summary>
internal static class ServedBlobs
{
    public static byte[] Random(int bytes, int seed)
    {
        var blob = new byte[bytes];
        new System.Random(seed).NextBytes(blob);
        return blob;
    }

    /// <summary>Makes <paramref name="server"/> keep <paramref name="blob"/> as the only version; its chunker names the server's endpoint.</summary>
    public static WeightChunker Serve(IWeightServer server, byte[] blob, long version = 1, long epoch = 0)
    {
        var chunker = new WeightChunker(version, loraOnly: false, blob, epoch: epoch, streamUri: server.Endpoint);
        server.Weights.Keep([(chunker.Announcement, chunker.Blob)]);
        return chunker;
    }
}
