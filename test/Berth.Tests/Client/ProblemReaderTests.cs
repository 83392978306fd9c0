using System.Net;
using System.Text;
using Berth.Client.Transport;

namespace Berth.Tests.Client;

public sealed class ProblemReaderTests
{
    [Fact]
    public async Task ReadAsync_ProblemDocument_TakesStatusTitleAndDetail()
    {
        using var response = Response(HttpStatusCode.Conflict, "application/problem+json",
            """{"type":"about:blank","title":"Container is running","status":409,"detail":"stop web first, or delete with --force"}""");

        var e = await ProblemReader.ReadAsync(response, CancellationToken.None);

        Assert.Equal(409, e.Status);
        Assert.Equal("Container is running", e.Title);
        Assert.Equal("stop web first, or delete with --force", e.Detail);
        Assert.Equal("stop web first, or delete with --force", e.Message);
    }

    [Fact]
    public async Task ReadAsync_ProblemWithoutDetail_MessageIsTitle()
    {
        using var response = Response(HttpStatusCode.NotFound, "application/problem+json", """{"title":"Container not found","status":404}""");

        var e = await ProblemReader.ReadAsync(response, CancellationToken.None);

        Assert.Equal("Container not found", e.Message);
    }

    [Fact]
    public async Task ReadAsync_PlainTextBody_BecomesDetail()
    {
        using var response = Response(HttpStatusCode.BadGateway, "text/plain", "upstream died\n");

        var e = await ProblemReader.ReadAsync(response, CancellationToken.None);

        Assert.Equal(502, e.Status);
        Assert.Equal("upstream died", e.Message);
    }

    [Fact]
    public async Task ReadAsync_MalformedJson_FallsBackToStatusAndRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://berth/api/v1/containers/web");
        using var response = Response(HttpStatusCode.InternalServerError, "application/json", "{not json");
        response.RequestMessage = request;

        var e = await ProblemReader.ReadAsync(response, CancellationToken.None);

        Assert.Equal(500, e.Status);
        Assert.Equal("berthd answered 500 Internal Server Error to GET /api/v1/containers/web", e.Message);
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string mediaType, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
}
