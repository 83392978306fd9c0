using System.Text;
using System.Text.RegularExpressions;
using Berth.Daemon.Native;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Consoles;

/// <summary>`berth console` on a real terminal: typed commands run in the container, Ctrl-a q detaches, --session reattaches to the same shell.</summary>
public sealed partial class ConsoleCliTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task ConsoleCli_DetachesWithCtrlAQ_AndReattachesToTheSameShellWithSession()
    {
        var name = env.Name("cli");
        await env.LaunchAsync(name);

        using (var first = Cli(["console", name]))
        {
            await first.WaitForAsync("# ");
            await first.TypeAsync("KEPT=cli-$((3*3)); echo first=$KEPT\r");
            await first.WaitForAsync("first=cli-9");
            await first.TypeAsync("\x01q");
            Assert.Equal(0, await first.ExitAsync());
            var hint = Reattach().Match(first.Text);
            Assert.True(hint.Success, $"no reattach command printed:\n{first.Text}");

            using var second = Cli(["console", name, "--session", hint.Groups[1].Value]);
            await second.WaitForAsync("(reattached)");
            await second.TypeAsync("echo second=$KEPT\r");
            await second.WaitForAsync("second=cli-9");
            // The session ends with the shell, and the CLI with its exit code.
            await second.TypeAsync("exit 3\r");
            Assert.Equal(3, await second.ExitAsync());
            Assert.DoesNotContain("Reattach with", second.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ConsoleCli_UnknownSession_PrintsOneLine_AndFails()
    {
        var name = env.Name("clibad");
        await env.LaunchAsync(name);
        using var cli = Cli(["console", name, "--session", "AAAAAAAAAAAAAAAAAAAAAA"]);
        Assert.NotEqual(0, await cli.ExitAsync());
        Assert.Contains("berth: error: there is no console session 'AAAAAAAAAAAAAAAAAAAAAA' of yours on", cli.Text, StringComparison.Ordinal);
    }

    private Terminal Cli(string[] args)
    {
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        environment["BERTH_DIR"] = env.StateDir;
        environment["TERM"] = "xterm";
        environment.Remove("BERTH_URL");
        return new Terminal(PtyProcess.Start([TestHost.CliProgram, .. TestHost.CliPrefix, .. args], environment, 120, 40));
    }

    [GeneratedRegex(@"berth console \S+ --session ([A-Za-z0-9_-]{22})")]
    private static partial Regex Reattach();

    /// <summary>The CLI on a pseudo-terminal, its screen collected as it comes.</summary>
    private sealed class Terminal : IDisposable
    {
        private readonly PtyProcess _pty;
        private readonly Task<int> _exit;
        private readonly Task _reader;
        private readonly StringBuilder _text = new();

        public Terminal(PtyProcess pty)
        {
            _pty = pty;
            _exit = pty.WaitForExitAsync();
            _reader = Task.Run(async () =>
            {
                var buffer = new byte[4096];
                try
                {
                    int read;
                    while ((read = await pty.Terminal.ReadAsync(buffer)) > 0)
                    {
                        lock (_text)
                        {
                            _text.Append(Encoding.UTF8.GetString(buffer, 0, read));
                        }
                    }
                }
                catch (IOException)
                {
                    // The terminal closed.
                }
            });
        }

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public Task TypeAsync(string text) => _pty.Terminal.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

        public async Task WaitForAsync(string text)
        {
            for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(100))
            {
                if (Text.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            Assert.Fail($"'{text}' did not appear on the terminal; it shows:\n{Text}");
        }

        public async Task<int> ExitAsync()
        {
            var code = await _exit.WaitAsync(TimeSpan.FromSeconds(60));
            await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
            return code;
        }

        public void Dispose()
        {
            _pty.Kill();
            _pty.Dispose();
        }
    }
}
