using System.Text.Json;

namespace Berth.Cli.Remotes;

/// <summary>
/// $XDG_CONFIG_HOME/berth/remotes.json (else ~/.config/berth/remotes.json): it holds tokens, so it is written 0600
/// (in a 0700 directory), whole, through a file renamed into place.
/// </summary>
internal static class RemoteConfigFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string Path
    {
        get
        {
            var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            if (string.IsNullOrEmpty(config) || !System.IO.Path.IsPathRooted(config))
            {
                config = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            }

            return System.IO.Path.Combine(config, "berth", "remotes.json");
        }
    }

    public static RemoteConfig Load() => Load(Path);

    public static RemoteConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            return new RemoteConfig();
        }

        try
        {
            var config = JsonSerializer.Deserialize(File.ReadAllText(path), RemoteJsonContext.Default.RemoteConfig) ?? new RemoteConfig();
            return config with { Remotes = new Dictionary<string, Remote>(config.Remotes, StringComparer.Ordinal) };
        }
        catch (JsonException e)
        {
            throw new CliException($"{path} is not a remotes file Berth can read ({e.Message}); fix or delete it");
        }
    }

    public static void Save(RemoteConfig config) => Save(config, Path);

    public static void Save(RemoteConfig config, string path)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(path);
        var directory = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temporary = $"{path}.{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}.tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
        {
            JsonSerializer.Serialize(stream, config, RemoteJsonContext.Default.RemoteConfig);
        }

        // An existing temporary file keeps its mode through FileMode.Create: narrow it before it holds the place of the real one.
        File.SetUnixFileMode(temporary, OwnerOnly);
        File.Move(temporary, path, overwrite: true);
    }
}
