using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Berth.Client;
using Berth.Contracts;

namespace Berth.IntegrationTests.Consoles;

/// <summary>The container console over its websocket: a login shell that survives a dropped connection, one session never stalling another.</summary>
public sealed partial class ConsoleTests(ConsoleBerthEnvironment env) : IClassFixture<ConsoleBerthEnvironment>
{
    [Fact]
    public async Task Console_OnBusybox_RunsTypedCommandsInALoginShell()
    {
        var name = await env.ContainerAsync("hello");
        using var screen = await ConsoleScreen.OpenAsync(env.Client, name);

        Assert.False(screen.Connection.Hello.Reattached);
        Assert.Equal(22, screen.Connection.Session.Length); // 128 bits, base64url without padding
        Assert.Equal(30, screen.Connection.Hello.GraceSeconds);
        await screen.TypeAsync("echo answer=$((6*7)) user=$(id -u) host=$(hostname) size=$(stty size)");
        await screen.WaitForAsync($"answer=42 user=0 host={name} size=40 120");
    }

    [Fact]
    public async Task Console_Reattach_WithinGrace_IsTheSameShell_AndReplaysWhatWasMissed()
    {
        var name = await env.ContainerAsync("reattach");
        string session;
        string pid;
        using (var first = await ConsoleScreen.OpenAsync(env.Client, name))
        {
            session = first.Connection.Session;
            await first.TypeAsync("KEPT=kept-$((2*4)); echo pid=$$.");
            pid = (await first.WaitForAsync(Pid())).Groups[1].Value;
            // Output that comes only after the connection is gone: the shell waits for a file the test makes then.
            await first.TypeAsync("while [ ! -e /tmp/go ]; do sleep 0.1; done; echo late-$((6*7)); touch /tmp/done");
            await first.WaitForAsync("touch /tmp/done");
            first.Connection.Abort();
        }

        await env.ExecAsync(name, "touch", "/tmp/go");
        for (var i = 0; i < 300 && (await env.ExecAsync(name, "test", "-e", "/tmp/done")).ExitCode != 0; i++)
        {
            await Task.Delay(100);
        }

        using var second = await ConsoleScreen.OpenAsync(env.Client, name, session);
        Assert.True(second.Connection.Hello.Reattached);
        Assert.Equal(session, second.Connection.Session);
        await second.WaitForAsync("late-42");
        await second.TypeAsync("echo again=$KEPT pid=$$.");
        await second.WaitForAsync($"again=kept-8 pid={pid}.");
    }

    [Fact]
    public async Task Console_AClientThatStopsReading_DoesNotStallAnotherConsole_AndKeepsItsSession()
    {
        var name = await env.ContainerAsync("stall");
        using var stalled = await ConsoleScreen.OpenAsync(env.Client, name);
        stalled.StopReading();
        // 5 MB, far more than the socket and the session's buffers hold (lxc-attach moves a terminal's bytes slowly on a busy host).
        await stalled.TypeAsync("yes | head -c 5000000; echo; echo first-$((1+1)); touch /tmp/first-done");

        using var other = await ConsoleScreen.OpenAsync(env.Client, name);
        await other.TypeAsync("echo second-$((2+3))");
        await other.WaitForAsync("second-5");

        // The other console answered while the first one's output is still held up by its client.
        Assert.NotEqual(0, (await env.ExecAsync(name, "test", "-e", "/tmp/first-done")).ExitCode);

        // The client that read nothing is dropped after the stall timeout; its session waits, and a reattach gets the rest.
        var dropped = $"Console {stalled.Connection.Session} on {name} detached (stalled)";
        for (var i = 0; i < 600 && !env.Daemon.Log.Contains(dropped, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(env.Daemon.Log.Contains(dropped, StringComparison.Ordinal), string.Join('\n', env.Daemon.Log.Split('\n').Where(l => l.Contains("Console", StringComparison.Ordinal))));
        using var back = await ConsoleScreen.OpenAsync(env.Client, name, stalled.Connection.Session);
        Assert.True(back.Connection.Hello.Reattached);
        await back.TypeAsync("echo back-$((3+4))");
        await back.WaitForAsync("back-7", seconds: 180);
        Assert.Equal(0, (await env.ExecAsync(name, "test", "-e", "/tmp/first-done")).ExitCode);
    }

    [Fact]
    public async Task Console_ASecondAttach_TakesTheSessionOver_AndTheFirstIsClosedSayingWhy()
    {
        var name = await env.ContainerAsync("takeover");
        using var first = await ConsoleScreen.OpenAsync(env.Client, name);
        using var second = await ConsoleScreen.OpenAsync(env.Client, name, first.Connection.Session);

        await first.Reader.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((WebSocketCloseStatus)4000, first.Connection.CloseStatus);
        Assert.Contains("another connection", first.Connection.CloseReason, StringComparison.Ordinal);
        Assert.Null(first.Connection.ExitCode);
        await second.TypeAsync("echo still-$((4+4))");
        await second.WaitForAsync("still-8");
    }

    [Fact]
    public async Task Console_ShellExit_EndsTheSession_WithItsExitFrame()
    {
        var name = await env.ContainerAsync("exit");
        using var screen = await ConsoleScreen.OpenAsync(env.Client, name);
        await screen.TypeAsync("exit");
        await screen.Reader.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(screen.Connection.ExitCode);

        var gone = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.OpenConsoleAsync(name, screen.Connection.Session));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Console_ContainerStop_EndsTheSession()
    {
        var name = await env.ContainerAsync("stop");
        using var screen = await ConsoleScreen.OpenAsync(env.Client, name);
        await screen.TypeAsync("echo up-$((1+8))");
        await screen.WaitForAsync("up-9");
        await env.ChangeStateAsync(name, "stop", force: true);

        await screen.Reader.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(screen.Connection.ExitCode);
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.OpenConsoleAsync(name));
        Assert.Equal(409, refused.Status);
        Assert.Contains("start it", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_AnotherMembersSessionId_Is404_AndTheirContainerToo_AndTheSessionIsUntouched()
    {
        var (alice, aliceClient) = await env.MemberAsync("calice");
        var (bob, bobClient) = await env.MemberAsync("cbob");
        using var _ = aliceClient;
        using var __ = bobClient;
        var hers = await env.ContainerAsync("chers", alice);
        var his = await env.ContainerAsync("chis", bob);
        using var screen = await ConsoleScreen.OpenAsync(aliceClient, hers);
        await screen.TypeAsync("SECRET=alice-$((5*5))");

        // Bob presents her session id on his own container and on hers; the admin presents it on hers.
        var onHis = await Assert.ThrowsAsync<BerthApiException>(() => bobClient.OpenConsoleAsync(his, screen.Connection.Session));
        var onHers = await Assert.ThrowsAsync<BerthApiException>(() => bobClient.OpenConsoleAsync(hers, screen.Connection.Session));
        var newOnHers = await Assert.ThrowsAsync<BerthApiException>(() => bobClient.OpenConsoleAsync(hers));
        var admin = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.OpenConsoleAsync(hers, screen.Connection.Session));
        Assert.Equal([404, 404, 404, 404], new[] { onHis.Status, onHers.Status, newOnHers.Status, admin.Status });
        Assert.Equal(onHers.Detail, (await Assert.ThrowsAsync<BerthApiException>(() => bobClient.OpenConsoleAsync(env.Name("nosuch")))).Detail?.Replace(env.Name("nosuch"), hers, StringComparison.Ordinal));

        // Her connection was neither taken over nor closed: her shell still answers her.
        await screen.TypeAsync("echo mine=$SECRET");
        await screen.WaitForAsync("mine=alice-25");
        Assert.False(screen.Reader.IsCompleted);
    }

    [Fact]
    public async Task Console_MoreThanEightSessionsOfOneCaller_Is409_AndStartsNoShell()
    {
        var (carol, carolClient) = await env.MemberAsync("ccarol");
        using var _ = carolClient;
        var name = await env.ContainerAsync("climit", carol);
        var screens = new List<ConsoleScreen>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                screens.Add(await ConsoleScreen.OpenAsync(carolClient, name));
            }

            var before = (await env.ExecAsync(name, "ps")).Stdout.Split('\n').Count(l => l.Contains("sh -l", StringComparison.Ordinal));
            var refused = await Assert.ThrowsAsync<BerthApiException>(() => carolClient.OpenConsoleAsync(name));
            Assert.Equal(409, refused.Status);
            Assert.Equal("Too many consoles", refused.Title);
            Assert.Contains("session=ID", refused.Detail, StringComparison.Ordinal);
            Assert.Equal(before, (await env.ExecAsync(name, "ps")).Stdout.Split('\n').Count(l => l.Contains("sh -l", StringComparison.Ordinal)));
            Assert.Equal(8, before);

            // Someone else's limit is their own.
            using var root = await ConsoleScreen.OpenAsync(env.Client, name);
        }
        finally
        {
            foreach (var screen in screens)
            {
                await screen.TypeAsync("exit");
                screen.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("shell=/bin/bash", "Console runs a login shell")]
    [InlineData("cmd=id", "Console runs a login shell")]
    [InlineData("cols=0", "Invalid terminal size")]
    [InlineData("rows=99999", "Invalid terminal size")]
    [InlineData("cols=abc", "Invalid terminal size")]
    public async Task Console_BadQuery_Is400ProblemSayingWhat_AndStartsNoShell(string query, string title)
    {
        var name = await env.ContainerAsync("bad" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(query)))[..8]);
        using var http = new HttpClient { BaseAddress = env.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", File.ReadAllText(Path.Combine(env.StateDir, "admin.token")).Trim());
        using var response = await http.GetAsync(new Uri($"api/v1/containers/{name}/console?{query}", UriKind.Relative));
        var problem = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<ProblemInfo>(response.Content, BerthJson.Options);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(title, problem!.Title);
        Assert.DoesNotContain("sh -l", (await env.ExecAsync(name, "ps")).Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"pid=([0-9]+)\.")]
    private static partial Regex Pid();
}
