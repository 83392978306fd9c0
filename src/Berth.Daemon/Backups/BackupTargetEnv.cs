using System.Text.RegularExpressions;
using Berth.Daemon.Errors;
using Berth.Daemon.Hosting;

namespace Berth.Daemon.Backups;

/// <summary>The credentials a target passes to restic through its environment: upper-case names, never restic's own password variables.</summary>
public static partial class BackupTargetEnv
{
    /// <summary>Names Berth sets itself for every run, which a target's credentials must not replace.</summary>
    private static readonly string[] Reserved = ["RESTIC_REPOSITORY", "RESTIC_REPOSITORY_FILE", "RESTIC_CACHE_DIR", "RESTIC_PROGRESS_FPS", "PATH", "HOME", "LD_PRELOAD", "LD_LIBRARY_PATH", "BERTH_JOB"];

    public static IReadOnlyDictionary<string, string> Validate(IReadOnlyDictionary<string, string>? env)
    {
        var checkedEnv = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            if (!NamePattern().IsMatch(key ?? "") || key!.StartsWith("RESTIC_PASSWORD", StringComparison.Ordinal) || Reserved.Contains(key) || key.StartsWith("LD_", StringComparison.Ordinal))
            {
                throw DomainError.Invalid(
                    "Invalid backup target env key",
                    $"'{ControlCharacters.Visible(key)}' cannot be set in env: keys are upper-case letters, digits and '_' (like AWS_ACCESS_KEY_ID or RESTIC_REST_USERNAME); RESTIC_PASSWORD* and the variables Berth sets itself are refused, since Berth keeps the repository password.");
            }

            if (value is null || value.Length > 4096 || ControlCharacters.Any(value))
            {
                throw DomainError.Invalid("Invalid backup target env value", $"the value of env key '{key}' is empty, longer than 4096 characters or holds control characters.");
            }

            checkedEnv[key] = value;
        }

        return checkedEnv;
    }

    [GeneratedRegex("^[A-Z][A-Z0-9_]{0,63}$")]
    private static partial Regex NamePattern();
}
