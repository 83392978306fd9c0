using System.Text.Json;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Cli;

/// <summary>The `berth` program against a running berthd, the way a user types it.</summary>
public sealed class CliEndToEndTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task LaunchListInfoExecStopDelete_WorkFromTheCommandLine()
    {
        var name = env.Name("cli");
        var launch = await Berth("launch", "busybox", name);
        Assert.True(launch.ExitCode == 0, launch.ToString());
        Assert.Contains(name, launch.Stdout, StringComparison.Ordinal);

        var table = await Berth("list");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("NAME", table.Stdout, StringComparison.Ordinal);
        Assert.Contains(table.Stdout.Split('\n'), l => l.Contains(name, StringComparison.Ordinal) && l.Contains("running", StringComparison.Ordinal));

        var json = await Berth("list", "--format", "json");
        var containers = JsonSerializer.Deserialize<ContainerInfo[]>(json.Stdout, BerthJson.Options)!;
        Assert.Equal(ContainerStatus.Running, containers.Single(c => c.Name == name).Status);

        var info = await Berth("info", name);
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("running", info.Stdout, StringComparison.Ordinal);
        Assert.Contains("busybox", info.Stdout, StringComparison.Ordinal);

        var exec = await Berth("exec", name, "--", "sh", "-c", "echo from-inside; echo oops >&2; exit 5");
        Assert.Equal(5, exec.ExitCode);
        Assert.Equal("from-inside\n", exec.Stdout);
        Assert.Equal("oops\n", exec.Stderr);

        var piped = await CliRunner.RunWithInputAsync(env.StateDir, "a\nb\nc\n", "exec", name, "--", "wc", "-l");
        Assert.Equal(0, piped.ExitCode);
        Assert.Equal("3", piped.Stdout.Trim());

        var stop = await Berth("stop", name, "--force");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(name)).Status);

        var delete = await Berth("delete", name);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == name);
    }

    [Fact]
    public async Task ConfigSetShowUnset_FromTheCommandLine()
    {
        var name = env.Name("clicfg");
        Assert.Equal(0, (await Berth("launch", "busybox", name)).ExitCode);

        var set = await Berth("config", "set", name, "limits.memory=64MiB", "limits.processes=100");
        Assert.True(set.ExitCode == 0, set.ToString());
        var show = await Berth("config", "show", name);
        Assert.Contains("limits.memory: 64MiB", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("lxc.cgroup", show.Stdout, StringComparison.Ordinal);
        Assert.Equal("64MiB", (await Berth("config", "get", name, "limits.memory")).Stdout.Trim());

        var unset = await Berth("config", "unset", name, "limits.processes");
        Assert.Equal(0, unset.ExitCode);
        Assert.DoesNotContain("limits.processes", (await env.Client.GetConfigAsync(name)).Config.Keys);
    }

    [Theory]
    [InlineData("launch", "busybox", "Bad_Name")]
    [InlineData("launch", "nosuchimage", "okname")]
    [InlineData("start", "no-such-container")]
    [InlineData("config", "set", "no-such-container", "limits.memory=1GiB")]
    public async Task BadInput_PrintsOneLineError_AndExitsNonZero(params string[] args)
    {
        var result = await Berth(args);
        Assert.NotEqual(0, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("berth: error:", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownContainer_ApiNamesTheEndpoint_CliAddsItsCommand()
    {
        var name = env.Name("nosuch");
        var problem = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.GetContainerAsync(name));
        Assert.Equal("Container not found", problem.Title);
        Assert.Contains("GET /api/v1/containers", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("'berth ", problem.Detail, StringComparison.Ordinal);

        var result = await Berth("start", name);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("('berth list' shows the containers there are)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActionThatDoesNotFitTheState_IsRefusedWithAReason()
    {
        var name = env.Name("clirun");
        Assert.Equal(0, (await Berth("launch", "busybox", name)).ExitCode);
        var result = await Berth("start", name);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("already running", result.Stderr, StringComparison.Ordinal);

        var delete = await Berth("delete", name);
        Assert.NotEqual(0, delete.ExitCode);
        Assert.Contains("--force", delete.Stderr, StringComparison.Ordinal);
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);
    }

    [Fact]
    public async Task Jobs_ListsRecentJobsWithStatus()
    {
        var name = env.Name("clijobs");
        Assert.Equal(0, (await Berth("launch", "busybox", name)).ExitCode);
        var jobs = await Berth("jobs");
        Assert.Equal(0, jobs.ExitCode);
        Assert.Contains(jobs.Stdout.Split('\n'), l => l.Contains("container.launch", StringComparison.Ordinal) && l.Contains(name, StringComparison.Ordinal) && l.Contains("succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Monitor_PrintsEventsLive()
    {
        var name = env.Name("climon");

        // From the newest event on: whenever the monitor gets connected, it prints everything that happens after now.
        var backlog = await env.RecentEventsAsync(_ => true);
        var since = backlog.Count == 0 ? 0 : backlog.Max(e => e.Seq);
        using var monitor = CliRunner.Start(env.StateDir, "monitor", "--since", since.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var lines = new List<string>();
        var sawStarted = new TaskCompletionSource();
        monitor.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            if (e.Data.Contains("container.started", StringComparison.Ordinal) && e.Data.Contains(name, StringComparison.Ordinal))
            {
                sawStarted.TrySetResult();
            }
        };
        monitor.BeginOutputReadLine();

        await env.LaunchAsync(name);
        await sawStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        monitor.Kill();
        lock (lines)
        {
            Assert.Contains(lines, l => l.Contains("job.queued", StringComparison.Ordinal) && l.Contains(name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task DaemonNotRunning_SaysSoInOneLine()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"berth-it-{TestHost.RunId}-nodaemon");
        Directory.CreateDirectory(dir);
        try
        {
            var result = await CliRunner.RunAsync(dir, "list");
            Assert.NotEqual(0, result.ExitCode);
            Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("berthd", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Exec_IntoAFileSharedWithTheShell_KeepsEveryLineInOrder()
    {
        var name = env.Name("clilog");
        Assert.Equal(0, (await Berth("launch", "busybox", name)).ExitCode);
        var log = Path.Combine(env.StateDir, "shared.log");

        // What a cron job does: several commands writing one log through the shell's one descriptor. The daemon reads
        // the command's stdout and stderr from two pipes, so only the pause orders b before e.
        var info = new System.Diagnostics.ProcessStartInfo("sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("{ echo a; \"$DOTNET\" \"$CLI\" exec \"$NAME\" -- sh -c 'echo b; sleep 0.3; echo e >&2'; echo c; } > \"$LOG\" 2>&1");
        info.Environment["DOTNET"] = TestHost.Dotnet;
        info.Environment["CLI"] = TestHost.CliDll;
        info.Environment["NAME"] = name;
        info.Environment["LOG"] = log;
        info.Environment["BERTH_DIR"] = env.StateDir;
        info.Environment.Remove("BERTH_URL");
        using var shell = System.Diagnostics.Process.Start(info)!;
        await shell.WaitForExitAsync();

        Assert.Equal(0, shell.ExitCode);
        Assert.Equal("a\nb\ne\nc\n", await File.ReadAllTextAsync(log));
    }

    private Task<CliResult> Berth(params string[] args) => CliRunner.RunAsync(env.StateDir, args);
}
