using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Consoles;

/// <summary>The console on a Debian container (systemd, bash): the same login shell as on busybox.</summary>
public sealed class ConsoleDebianTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task Console_OnDebian_RunsALoginShellOnItsOwnTerminal()
    {
        var name = env.Name("deb");
        await env.LaunchAsync(name, "debian/12");
        using var screen = await ConsoleScreen.OpenAsync(env.Client, name);
        await screen.TypeAsync("echo answer=$((6*7)) user=$(id -un) tty=$(tty) home=$HOME.");
        await screen.WaitForAsync("answer=42 user=root tty=/dev/pts/");
        await screen.WaitForAsync("home=/root.");
    }
}
