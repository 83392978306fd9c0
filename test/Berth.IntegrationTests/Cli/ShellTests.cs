using System.Text;
using Berth.Daemon.Native;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Cli;

/// <summary>`berth shell` on a real terminal: what is typed runs in the container and the shell's exit code comes back.</summary>
public sealed class ShellTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task Shell_OnATerminal_RunsTypedCommandsInTheContainer()
    {
        var name = env.Name("shell");
        await env.LaunchAsync(name);
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        environment["BERTH_DIR"] = env.StateDir;
        environment["TERM"] = "xterm";

        using var terminal = PtyProcess.Start([TestHost.Dotnet, TestHost.CliDll, "shell", name], environment, 120, 40);
        var exit = terminal.WaitForExitAsync();
        var output = new StringBuilder();
        var reader = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await terminal.Terminal.ReadAsync(buffer)) > 0)
                {
                    lock (output)
                    {
                        output.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    }
                }
            }
            catch (IOException)
            {
                // The terminal closed.
            }
        });

        await WaitForAsync(output, "#", TimeSpan.FromSeconds(30)); // the container's root prompt
        await terminal.Terminal.WriteAsync(Encoding.UTF8.GetBytes("echo sum=$((40+2)) host=$(hostname)\n"));
        await WaitForAsync(output, "sum=42 host=" + name, TimeSpan.FromSeconds(30));
        await terminal.Terminal.WriteAsync(Encoding.UTF8.GetBytes("exit 3\n"));

        Assert.Equal(3, await exit.WaitAsync(TimeSpan.FromSeconds(30)));
        await reader.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task WaitForAsync(StringBuilder output, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (output)
            {
                if (output.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }

            await Task.Delay(100);
        }

        lock (output)
        {
            Assert.Fail($"'{text}' did not appear on the terminal; it shows:\n{output}");
        }
    }
}
