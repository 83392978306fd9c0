using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Store;
using Dapper;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Images;

/// <summary>
/// Every image Berth knows: the built-in catalog and the images users defined (a Debian image plus packages). Users'
/// definitions are stored; all are cached in memory so the LXC configuration can be rendered without a query.
/// </summary>
public sealed partial class ImageRegistry(Database database, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (CustomImage Custom, ImageDefinition Definition)> _custom = new(StringComparer.Ordinal);
    private volatile bool _loaded;

    public IReadOnlyList<ImageDefinition> All => [.. ImageCatalog.All, .. _custom.Values.Select(c => c.Definition).OrderBy(d => d.Alias, StringComparer.Ordinal)];

    public ImageDefinition? Find(string? alias) =>
        alias is null ? null : ImageCatalog.Find(alias) ?? (_custom.TryGetValue(alias, out var custom) ? custom.Definition : null);

    public ImageDefinition Require(string? alias) => Find(alias)
        ?? throw DomainError.NotFound("Image not found", $"unknown image '{alias}'; known images: {string.Join(", ", All.Select(i => i.Alias))}.");

    public CustomImage? CustomOf(string alias) => _custom.TryGetValue(alias, out var custom) ? custom.Custom : null;

    /// <summary>The images <paramref name="caller"/> may see and launch: the built-in ones, everybody's, and their own.</summary>
    public IReadOnlyList<ImageDefinition> VisibleTo(Access.Caller caller) => [.. All.Where(i => IsVisible(i.Alias, caller))];

    public bool IsVisible(string alias, Access.Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return CustomOf(alias)?.Owner is not { } owner || caller.MayUse(owner);
    }

    /// <summary>As <see cref="Require(string?)"/>, but another member's image is as unknown as one that does not exist.</summary>
    public ImageDefinition Require(string? alias, Access.Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Find(alias) is { } image && IsVisible(image.Alias, caller)
            ? image
            : throw DomainError.NotFound("Image not found", $"unknown image '{alias}'; known images: {string.Join(", ", VisibleTo(caller).Select(i => i.Alias))}.");
    }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Alias, string Base, string Packages, string CreatedAt, string Origin, string? Metadata, string? Source, string? Owner)>(new CommandDefinition(
            "SELECT alias, base, packages, created_at, origin, metadata, source, owner FROM custom_images", cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var row in rows)
        {
            var custom = new CustomImage
            {
                Alias = row.Alias,
                Origin = Enum.Parse<ImageOrigin>(row.Origin, ignoreCase: true),
                Base = row.Base.Length == 0 ? null : row.Base,
                Packages = row.Packages.Split(',', StringSplitOptions.RemoveEmptyEntries),
                CreatedAt = DateTimeOffset.Parse(row.CreatedAt, CultureInfo.InvariantCulture),
                Metadata = row.Metadata is null ? null : JsonSerializer.Deserialize<ImageMetadata>(row.Metadata, BerthJson.Options),
                Source = row.Source,
                Owner = row.Owner,
            };
            _custom[custom.Alias] = (custom, Define(custom));
        }

        _loaded = true;
    }

    /// <summary>Defines <paramref name="alias"/> as <paramref name="baseAlias"/> plus <paramref name="packages"/>; the same definition again is accepted as is.</summary>
    public async Task<ImageDefinition> DefineAsync(string baseAlias, IReadOnlyList<string> packages, string alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var baseImage = ImageCatalog.Find(baseAlias)
            ?? throw DomainError.NotFound("Base image not found", $"'{baseAlias}' is not a built-in image; build on one of: {string.Join(", ", ImageCatalog.All.Where(i => i.Suite is not null).Select(i => i.Alias))}.");
        if (baseImage.Suite is null)
        {
            throw DomainError.Invalid("Packages need Debian", $"'{baseAlias}' is not built with debootstrap; packages can only be added to Debian images.");
        }

        RequireValidAlias(alias);
        var bad = packages.FirstOrDefault(p => !PackagePattern().IsMatch(p));
        if (bad is not null)
        {
            throw DomainError.Invalid("Invalid package name", $"'{bad}' is not a Debian package name.");
        }

        var custom = new CustomImage
        {
            Alias = alias,
            Origin = ImageOrigin.Packages,
            Base = baseAlias,
            Packages = [.. baseImage.Packages.Concat(packages).Distinct().Order(StringComparer.Ordinal)],
            CreatedAt = time.GetUtcNow(),
        };
        var definition = Define(custom);
        if (Find(alias) is { } existing)
        {
            return existing.Fingerprint == definition.Fingerprint
                ? existing
                : throw DomainError.Conflict("Alias taken", $"an image named '{alias}' already exists with another recipe; choose another alias or delete it first.");
        }

        await InsertAsync(custom, cancellationToken).ConfigureAwait(false);
        _custom[alias] = (custom, definition);
        return definition;
    }

    /// <summary>Refuses an alias that is malformed or already names an image.</summary>
    public void RequireFreeAlias(string alias)
    {
        RequireValidAlias(alias);
        if (Find(alias) is not null)
        {
            throw DomainError.Conflict("Alias taken", $"an image named '{alias}' already exists; choose another alias or delete that image first.");
        }
    }

    /// <summary>Records a published or imported image whose files are already in the cache (the last step of making one).</summary>
    public async Task<ImageDefinition> AddAsync(CustomImage custom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(custom);
        var definition = Define(custom);
        await InsertAsync(custom, cancellationToken).ConfigureAwait(false);
        _custom[custom.Alias] = (custom, definition);
        return definition;
    }

    private async Task InsertAsync(CustomImage custom, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO custom_images (alias, base, packages, created_at, origin, metadata, source, owner)
            VALUES (@Alias, @Base, @Packages, @CreatedAt, @Origin, @Metadata, @Source, @Owner)
            ON CONFLICT (alias) DO NOTHING
            """,
            new
            {
                custom.Alias,
                Base = custom.Base ?? "",
                Packages = string.Join(",", custom.Packages),
                CreatedAt = custom.CreatedAt.ToString("O"),
                Origin = custom.Origin.ToString().ToLowerInvariant(),
                Metadata = custom.Metadata is null ? null : JsonSerializer.Serialize(custom.Metadata, BerthJson.Options),
                custom.Source,
                custom.Owner,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (inserted == 0)
        {
            throw DomainError.Conflict("Alias taken", $"an image named '{custom.Alias}' was made meanwhile; choose another alias.");
        }
    }

    public async Task ForgetAsync(string alias, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM custom_images WHERE alias = @alias", new { alias }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        _custom.TryRemove(alias, out _);
    }

    private static ImageDefinition Define(CustomImage custom)
    {
        if (custom.Metadata is { } metadata)
        {
            return new ImageDefinition(custom.Alias, metadata.Os, metadata.Release, metadata.Recipe)
            {
                Packages = metadata.Packages,
                LxcProfile = metadata.LxcProfile,
                HaltSignal = metadata.HaltSignal,
                Origin = custom.Origin,
            };
        }

        var baseImage = ImageCatalog.Find(custom.Base ?? "") ?? throw new InvalidOperationException($"custom image {custom.Alias} extends unknown {custom.Base}");
        return ImageCatalog.DebianWith(custom.Alias, baseImage.Release, baseImage.Suite!, custom.Packages) with { Origin = ImageOrigin.Packages };
    }

    internal static bool IsValidAlias(string? alias) => alias is not null && AliasPattern().IsMatch(alias);

    internal static bool IsValidPackage(string? package) => package is not null && PackagePattern().IsMatch(package);

    private static void RequireValidAlias(string alias)
    {
        if (!IsValidAlias(alias))
        {
            throw DomainError.Invalid("Invalid image alias", $"'{Hosting.ControlCharacters.Visible(alias)}' is not a valid alias: 1-64 lowercase letters, digits, '-', '.' and '/', starting with a letter or digit.");
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9./-]{0,63}\z")]
    private static partial Regex AliasPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9+.-]{1,62}\z")]
    private static partial Regex PackagePattern();
}
