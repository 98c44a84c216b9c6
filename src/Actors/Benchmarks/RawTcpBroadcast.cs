using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace RetroAct.Actors.Benchmarks;

/// <summary>
/// Seconds to copy a blob to every receiver over plain loopback sockets: alone, with a SHA-256 of the blob at each
/// receiver after it arrives, and with the weight versions' checksum (XXH128) there.
/// </summary>
public sealed record RawTcpDelivery(long Bytes, int Receivers, double CopySeconds, double CopyAndHashSeconds, double CopyAndChecksumSeconds);

/// <summary>
/// The floor for weight broadcast: the same bytes written to N receivers over System.Net.Sockets on 127.0.0.1, all
/// at once (length prefix, then the blob; each receiver reads into one buffer). Connections are opened before the
/// clock starts, as Akka's associations are warm before the timed delivery.
/// </summary>
public static class RawTcpBroadcast
{
    public static RawTcpDelivery Run(byte[] blob, int receivers)
    {
        double copy = Deliver(blob, receivers, Check.None);
        double copyAndHash = Deliver(blob, receivers, Check.Sha256);
        double copyAndChecksum = Deliver(blob, receivers, Check.Checksum);
        return new RawTcpDelivery(blob.LongLength, receivers, copy, copyAndHash, copyAndChecksum);
    }

    private enum Check { None, Sha256, Checksum }

    private static double Deliver(byte[] blob, int receivers, Check check)
    {
        var listeners = Enumerable.Range(0, receivers).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        foreach (var l in listeners) l.Start();
        var senders = new List<TcpClient>();
        try
        {
            var accepted = listeners.Select(l => l.AcceptTcpClientAsync()).ToList();
            foreach (var l in listeners)
            {
                var client = new TcpClient { NoDelay = true };
                client.Connect((IPEndPoint)l.LocalEndpoint);
                senders.Add(client);
            }
            var receiving = accepted.Select(a => a.GetAwaiter().GetResult()).ToList();
            var clock = Stopwatch.StartNew();
            var reads = receiving.Select(r => Task.Run(() => Receive(r, check))).ToList();
            var writes = senders.Select(s => Task.Run(() => Send(s, blob))).ToList();
            Task.WaitAll([.. writes, .. reads]);
            double seconds = clock.Elapsed.TotalSeconds;
            foreach (var r in reads)
                if (r.Result != blob.LongLength) throw new InvalidDataException($"a raw TCP receiver got {r.Result} of {blob.LongLength} bytes");
            foreach (var r in receiving) r.Dispose();
            return seconds;
        }
        finally
        {
            foreach (var s in senders) s.Dispose();
            foreach (var l in listeners) l.Stop();
        }
    }

    private static async Task Send(TcpClient client, byte[] blob)
    {
        var stream = client.GetStream();
        var prefix = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(prefix, blob.LongLength);
        await stream.WriteAsync(prefix);
        await stream.WriteAsync(blob);
        await stream.FlushAsync();
    }

    private static async Task<long> Receive(TcpClient client, Check check)
    {
        var stream = client.GetStream();
        var prefix = new byte[8];
        await stream.ReadExactlyAsync(prefix);
        long length = BinaryPrimitives.ReadInt64LittleEndian(prefix);
        var buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer);
        if (check == Check.Sha256) SHA256.HashData(buffer);
        if (check == Check.Checksum) Weights.WeightChecksum.Of(buffer);
        return length;
    }
}
