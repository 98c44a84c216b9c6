using RetroAct.Actors.Protocol;
using RetroAct.Actors.Serialization;
using RetroAct.Actors.Weights;

namespace RetroAct.Actors.Tests.Weights;

public class WeightChunkingTests
{
    private static byte[] Blob(int bytes, int seed = 1)
    {
        var blob = new byte[bytes];
        new Random(seed).NextBytes(blob);
        return blob;
    }

    [Fact]
    public void A_20M_parameter_fp32_model_is_chunked_within_the_frame_and_reassembled_out_of_order()
    {
        var blob = Blob(20_000_000 * sizeof(float));
        var chunker = new WeightChunker(version: 12, loraOnly: false, blob);
        var announcement = chunker.Announcement;
        Assert.Equal(((long)blob.Length + 65535) / 65536, announcement.ChunkCount);

        var assembler = new WeightAssembler(announcement);
        var order = Enumerable.Range(0, announcement.ChunkCount).ToArray();
        new Random(2).Shuffle(order);
        foreach (var index in order)
            Assert.Equal(ChunkOutcome.Accepted, assembler.Add(chunker.Chunk(index)));

        Assert.True(assembler.IsComplete);
        Assert.True(blob.AsSpan().SequenceEqual(assembler.Assemble()));
        // The largest chunk, serialized as a cluster message, fits the frame with room to spare.
        Assert.True(ClusterMessageCodec.Encode(chunker.Chunk(0)).Length < FrameBudget.MaxMessageBytes);
    }

    [Fact]
    public void Chunks_carry_index_count_and_version_and_the_last_one_is_short()
    {
        var chunker = new WeightChunker(3, loraOnly: true, Blob(250), chunkBytes: 100);

        var chunks = chunker.All().ToList();

        Assert.Equal([100, 100, 50], chunks.Select(c => c.Bytes.Length));
        Assert.All(chunks, c => Assert.Equal((3L, 3), (c.Version, c.Count)));
        Assert.Equal([0, 1, 2], chunks.Select(c => c.Index));
        Assert.True(chunker.Announcement.LoraOnly);
    }

    [Fact]
    public void An_empty_blob_is_one_empty_chunk()
    {
        var chunker = new WeightChunker(1, loraOnly: true, []);
        var assembler = new WeightAssembler(chunker.Announcement);

        assembler.Add(Assert.Single(chunker.All()));

        Assert.Empty(assembler.Assemble());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(WeightChunk.MaxBytes + 1)]
    [InlineData(FrameBudget.AkkaMaximumFrameSize)]
    public void A_chunk_size_that_cannot_fit_the_frame_is_refused(int chunkBytes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeightChunker(1, false, Blob(10), chunkBytes));

    [Fact]
    public void Serve_answers_a_window_and_refuses_another_version()
    {
        var chunker = new WeightChunker(5, false, Blob(1000), chunkBytes: 100);

        Assert.Equal([8, 9], chunker.Serve(new WeightChunkRequest(5, 8, 4)).Select(c => c.Index));
        Assert.Contains("serves version 5", Assert.Throws<ArgumentException>(() => chunker.Serve(new WeightChunkRequest(4, 0, 1)).ToList()).Message);
    }

    [Fact]
    public void Duplicates_are_ignored_and_strays_rejected_and_counted()
    {
        var chunker = new WeightChunker(7, false, Blob(300), chunkBytes: 100);
        var assembler = new WeightAssembler(chunker.Announcement);

        Assert.Equal(ChunkOutcome.Accepted, assembler.Add(chunker.Chunk(1)));
        Assert.Equal(ChunkOutcome.Duplicate, assembler.Add(chunker.Chunk(1)));
        Assert.Equal(ChunkOutcome.RejectedOtherVersion, assembler.Add(new WeightChunk(6, 0, 3, new byte[100])));
        Assert.Equal(ChunkOutcome.RejectedBadIndex, assembler.Add(new WeightChunk(7, 3, 3, new byte[100])));
        Assert.Equal(ChunkOutcome.RejectedBadIndex, assembler.Add(new WeightChunk(7, -1, 3, new byte[100])));
        Assert.Equal(ChunkOutcome.RejectedBadIndex, assembler.Add(new WeightChunk(7, 0, 4, new byte[100])));
        Assert.Equal(ChunkOutcome.RejectedBadLength, assembler.Add(new WeightChunk(7, 0, 3, new byte[99])));

        Assert.Equal(1, assembler.Received);
        Assert.Equal(5, assembler.Rejected);
        Assert.Equal([0, 2], assembler.Missing());
        Assert.Contains("1 of 3 chunks", Assert.Throws<InvalidOperationException>(() => assembler.Assemble()).Message);
    }

    [Fact]
    public void A_bad_checksum_is_a_clear_error_and_resets_so_the_version_can_be_pulled_again()
    {
        var blob = Blob(300);
        var chunker = new WeightChunker(9, false, blob, chunkBytes: 100);
        var assembler = new WeightAssembler(chunker.Announcement);
        var damaged = chunker.Chunk(2);
        damaged.Bytes[0] ^= 0xFF;
        assembler.Add(chunker.Chunk(0));
        assembler.Add(chunker.Chunk(1));
        assembler.Add(damaged);

        var ex = Assert.Throws<InvalidDataException>(() => assembler.Assemble());
        Assert.Contains("weight version 9 failed its checksum", ex.Message);
        Assert.Equal(0, assembler.Received);
        Assert.Equal([0, 1, 2], assembler.Missing());

        foreach (var chunk in chunker.All()) assembler.Add(chunk);
        Assert.Equal(blob, assembler.Assemble());
    }
}
