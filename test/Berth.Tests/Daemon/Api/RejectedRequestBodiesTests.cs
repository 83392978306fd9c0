using System.Text;
using Berth.Daemon.Api;

namespace Berth.Tests.Daemon.Api;

public sealed class RejectedRequestBodiesTests
{
    [Fact]
    public void Rewrite_KestrelsEmptyRefusal_GetsAProblemBody()
    {
        var rewritten = RejectedRequestBodies.Rewrite("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\nDate: x\r\nServer: Kestrel\r\n\r\n"u8);
        var text = Encoding.ASCII.GetString(rewritten!);
        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\n", text, StringComparison.Ordinal);
        Assert.Contains($"Content-Length: {body.Length}\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\"detail\":", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_AnyOtherResponse_IsLeftAlone()
    {
        Assert.Null(RejectedRequestBodies.Rewrite("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8));
        Assert.Null(RejectedRequestBodies.Rewrite("HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: 10\r\n\r\n{}"u8));
        Assert.Null(RejectedRequestBodies.Rewrite("{\"a\":1}"u8));
    }
}
