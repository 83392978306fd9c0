namespace Berth.Daemon.Images;

/// <summary>
/// What is stored next to a cached root filesystem (image.json), and the first member of an image archive
/// (docs/archive-format.md): enough to recreate the image's definition on another host.
/// </summary>
public sealed record ImageMetadata
{
    public const string Kind = "berth-image";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = Kind;
    public int Version { get; init; } = CurrentVersion;
    public required string Alias { get; init; }
    /// <summary>sha256 of <see cref="Recipe"/>.</summary>
    public required string Fingerprint { get; init; }
    public required string Os { get; init; }
    public required string Release { get; init; }
    public required string Architecture { get; init; }
    public required string Recipe { get; init; }
    public required long SizeBytes { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public IReadOnlyList<string> Packages { get; init; } = [];
    public string? LxcProfile { get; init; }
    public string? HaltSignal { get; init; }

    /// <summary>What is wrong with each field an archive from elsewhere may have set.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Text(string what, string? value, int max)
        {
            if (string.IsNullOrEmpty(value) || value.Length > max || Hosting.ControlCharacters.Any(value))
            {
                problems.Add($"{what} '{Hosting.ControlCharacters.Visible(value)}' must be 1-{max} characters without control characters");
            }
        }

        if (!ImageRegistry.IsValidAlias(Alias))
        {
            problems.Add($"alias '{Hosting.ControlCharacters.Visible(Alias)}' is not an image alias");
        }

        Text("os", Os, 64);
        Text("release", Release, 64);
        Text("recipe", Recipe, 4096);
        Text("architecture", Architecture, 32);
        if (Version < 1)
        {
            problems.Add($"version {Version} is not a format version");
        }

        foreach (var package in (Packages ?? []).Where(p => !ImageRegistry.IsValidPackage(p)))
        {
            problems.Add($"package '{Hosting.ControlCharacters.Visible(package)}' is not a Debian package name");
        }

        if (LxcProfile is not null && Containers.LxcProfile.Problem(LxcProfile) is { } profile)
        {
            problems.Add($"lxcProfile '{Hosting.ControlCharacters.Visible(LxcProfile)}': {profile}");
        }

        if (HaltSignal is not null && Containers.HaltSignal.Problem(HaltSignal) is { } signal)
        {
            problems.Add($"haltSignal '{Hosting.ControlCharacters.Visible(HaltSignal)}': {signal}");
        }

        return problems;
    }
}
