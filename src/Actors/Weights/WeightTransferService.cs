using Google.Protobuf;
using Grpc.Core;
using RetroAct.Actors.Weights.Transfer;

namespace RetroAct.Actors.Weights;

/// <summary>
/// The gRPC side of the weight store: streams a kept version's blob in order, <see cref="MessageBytes"/> at a time,
/// each message a view of the blob (no copy before the transport's own write).
/// </summary>
public sealed class WeightTransferService(ServedWeights weights) : WeightTransfer.WeightTransferBase
{
    /// <summary>Payload bytes per streamed message: few messages (70 for a 72.5 MB blob), each well under the limits.</summary>
    public const int MessageBytes = 1024 * 1024;

    /// <summary>The largest gRPC message either side accepts: one payload plus protobuf framing, with room to spare.</summary>
    public const int MaxMessageBytes = MessageBytes + 64 * 1024;

    public override async Task Pull(PullRequest request, IServerStreamWriter<WeightBytes> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        if (!weights.TryGet(request.Version, request.Epoch, out var blob))
            throw new RpcException(new Status(StatusCode.NotFound,
                $"weight version {request.Version} (epoch {request.Epoch}) is not kept; kept: {string.Join(", ", weights.Versions)}"));
        for (int offset = 0; offset < blob.Length; offset += MessageBytes)
        {
            var slice = blob.Slice(offset, Math.Min(MessageBytes, blob.Length - offset));
            await responseStream.WriteAsync(new WeightBytes { Data = UnsafeByteOperations.UnsafeWrap(slice) }, context.CancellationToken)
                .ConfigureAwait(false);
        }
        weights.CountStreamed();
    }
}
