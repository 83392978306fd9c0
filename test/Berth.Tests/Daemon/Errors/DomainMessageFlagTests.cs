using System.Text.RegularExpressions;
using Berth.Daemon.Hosting;

namespace Berth.Tests.Daemon.Errors;

/// <summary>
/// The daemon's problems name API fields, never the CLI's flags (the panel and API clients have none); the CLI adds
/// its flags itself (Berth.Cli/CliHints). Flags of berthd itself are fine: they tell the admin how to start it.
/// </summary>
public sealed partial class DomainMessageFlagTests
{
    [Fact]
    public void DaemonProblems_NameNoCliFlag()
    {
        var daemonFlags = DaemonCommandLine.Switches.Keys.Append(DaemonUsage.PrintFingerprint).ToHashSet(StringComparer.Ordinal);
        var offending = new List<string>();
        var sources = Directory.GetFiles(Path.Combine(RepositoryRoot(), "src", "Berth.Daemon"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var calls = 0;
        foreach (var file in sources)
        {
            var text = File.ReadAllText(file);
            foreach (Match call in ProblemCall().Matches(text))
            {
                calls++;
                var arguments = Arguments(text, call.Index + call.Length);
                foreach (Match flag in Flag().Matches(arguments))
                {
                    if (!daemonFlags.Contains(flag.Value))
                    {
                        offending.Add($"{Path.GetFileName(file)}: {flag.Value} in {arguments.Trim()[..Math.Min(120, arguments.Trim().Length)]}");
                    }
                }
            }
        }

        Assert.True(calls > 100, $"only {calls} problem calls found; the scan is looking in the wrong place");
        Assert.Empty(offending);
    }

    [Theory]
    [InlineData("DomainError.Invalid(\"Bad\", \"leave out --ip to get one\")", "--ip")]
    [InlineData("DomainError.Conflict(\"Off\", $\"start berthd with --proxy-http off\")", null)]
    public void Scan_FindsCliFlags_AndLetsBerthdFlagsPass(string code, string? expected)
    {
        var daemonFlags = DaemonCommandLine.Switches.Keys.ToHashSet(StringComparer.Ordinal);
        var call = ProblemCall().Match(code);
        var found = Flag().Matches(Arguments(code, call.Index + call.Length)).Select(m => m.Value).Where(f => !daemonFlags.Contains(f)).ToList();
        Assert.Equal(expected is null ? [] : [expected], found);
    }

    /// <summary>The text of a call's arguments: up to the parenthesis closing the one at <paramref name="start"/>, skipping parentheses inside strings.</summary>
    private static string Arguments(string text, int start)
    {
        var depth = 1;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"' && text[i - 1] != '\\')
            {
                inString = !inString;
            }
            else if (!inString && c == '(')
            {
                depth++;
            }
            else if (!inString && c == ')' && --depth == 0)
            {
                return text[start..i];
            }
        }

        return text[start..];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Berth.slnx not found above the test's directory");
    }

    [GeneratedRegex(@"(?:DomainError\.(?:Invalid|Unauthenticated|Forbidden|NotFound|Conflict|OutOfSpace|Upstream)|ProblemMapping\.WriteAsync)\(")]
    private static partial Regex ProblemCall();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex Flag();
}
