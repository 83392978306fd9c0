using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Client;

namespace Berth.IntegrationTests.Consoles;

/// <summary>A console whose connection dropped ends when its grace period (2 s here) runs out: no shell left on the host.</summary>
public sealed partial class ConsoleGraceTests(ConsoleGraceTests.ShortGrace env) : IClassFixture<ConsoleGraceTests.ShortGrace>
{
    public sealed class ShortGrace : ConsoleBerthEnvironment
    {
        protected override string Grace => "2s";
    }

    [Fact]
    public async Task Console_AfterTheGrace_TheShellAndItsJobsAreGone_AndTheSessionIs404()
    {
        var name = await env.ContainerAsync("grace");
        string session;
        int shell;
        int job;
        using (var screen = await ConsoleScreen.OpenAsync(env.Client, name))
        {
            session = screen.Connection.Session;
            Assert.Equal(2, screen.Connection.Hello.GraceSeconds);
            await screen.TypeAsync("sleep 3131 & echo pids=$$,$!.");
            var match = await screen.WaitForAsync(Pids());
            shell = env.HostPid(name, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)) ?? throw new InvalidOperationException("the shell is not on the host");
            job = env.HostPid(name, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)) ?? throw new InvalidOperationException("the job is not on the host");
            Assert.True(ConsoleBerthEnvironment.IsRunning(shell));
            screen.Connection.Abort();
        }

        for (var i = 0; i < 300 && (ConsoleBerthEnvironment.IsRunning(shell) || ConsoleBerthEnvironment.IsRunning(job)); i++)
        {
            await Task.Delay(100);
        }

        Assert.False(ConsoleBerthEnvironment.IsRunning(shell), "the console's shell outlived its grace period");
        Assert.False(ConsoleBerthEnvironment.IsRunning(job), "a job started in the console outlived its grace period");
        var gone = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.OpenConsoleAsync(name, session));
        Assert.Equal(404, gone.Status);
        Assert.Equal("Console session not found", gone.Title);
        Assert.DoesNotContain(Directory.EnumerateDirectories("/proc").Select(CommandLine), c => c.Contains("lxc-attach", StringComparison.Ordinal) && c.Contains(name, StringComparison.Ordinal));
    }

    private static string CommandLine(string dir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, "cmdline"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    [GeneratedRegex(@"pids=([0-9]+),([0-9]+)\.")]
    private static partial Regex Pids();
}
