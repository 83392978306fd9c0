using Berth.Client.Events;

namespace Berth.Tests.Client;

public sealed class ServerSentEventReaderTests
{
    [Fact]
    public async Task ReadAsync_StreamWithCommentsIdsAndMultiLineData_DispatchesEachEvent()
    {
        const string stream =
            ": berth events\n" +
            "\n" +
            "id: 1\n" +
            "event: lifecycle\n" +
            "data: {\"seq\":1}\n" +
            "\n" +
            ": keep-alive\n" +
            "id: 2\n" +
            "event: job\n" +
            "data: line one\n" +
            "data:  line two\n" +
            "retry: 1000\n" +
            "\n" +
            "data:no-space\n" +
            "\n";

        var events = await ReadAllAsync(stream);

        Assert.Equal(
            [
                new ServerSentEvent("1", "lifecycle", "{\"seq\":1}"),
                new ServerSentEvent("2", "job", "line one\n line two"),
                new ServerSentEvent(null, "message", "no-space"),
            ],
            events);
    }

    [Fact]
    public async Task ReadAsync_CrLfLineEnds_ParsesLikeLf()
    {
        var events = await ReadAllAsync("id: 7\r\nevent: job\r\ndata: x\r\n\r\n");

        Assert.Equal([new ServerSentEvent("7", "job", "x")], events);
    }

    [Fact]
    public async Task ReadAsync_BlockWithoutData_DispatchesNothingAndForgetsItsFields()
    {
        var events = await ReadAllAsync("id: 3\nevent: ping\n\ndata: after\n\n");

        Assert.Equal([new ServerSentEvent(null, "message", "after")], events);
    }

    [Fact]
    public async Task ReadAsync_UnterminatedLastEvent_IsDropped()
    {
        var events = await ReadAllAsync("data: complete\n\nid: 9\ndata: cut off");

        Assert.Equal([new ServerSentEvent(null, "message", "complete")], events);
    }

    [Fact]
    public async Task ReadAsync_EmptyDataField_DispatchesEmptyData()
    {
        var events = await ReadAllAsync("data\n\n");

        Assert.Equal([new ServerSentEvent(null, "message", "")], events);
    }

    private static async Task<List<ServerSentEvent>> ReadAllAsync(string text)
    {
        var reader = new ServerSentEventReader(new StringReader(text));
        var events = new List<ServerSentEvent>();
        while (await reader.ReadAsync(CancellationToken.None) is { } next)
        {
            events.Add(next);
        }

        return events;
    }
}
