using System.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary><c>berth image list|build|show|delete|export|import</c> and <c>berth publish</c>.</summary>
internal static class ImageCommands
{
    private const int ShortFingerprint = 12;

    public static Command Create() => new("image", "List, build, show, delete, export and import images") { CreateList(), CreateBuild(), CreateShow(), CreateDelete(), CreateExport(), CreateImport() };

    public static Command CreatePublish()
    {
        var container = new Argument<string>("container") { Description = "Container to publish (stopped, unless --snapshot)" };
        var alias = new Option<string>("--alias") { Description = "Name of the new image", HelpName = "NAME", Required = true };
        var snapshot = new Option<string?>("--snapshot") { Description = "Publish this snapshot of the container instead (it may keep running)", HelpName = "SNAP" };
        var command = new Command("publish", "Make an image of a stopped container or of one of its snapshots") { container, alias, snapshot };
        command.SetAction(CommandAction.Run(async context =>
        {
            var request = new Contracts.ImagePublishRequest { Container = context.Get(container), Alias = context.Get(alias)!, Snapshot = context.Get(snapshot) };
            var job = await context.Client.PublishImageAsync(request, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Published {request.Container}{(request.Snapshot is null ? "" : $" (snapshot {request.Snapshot})")} as image {request.Alias}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateExport()
    {
        var alias = new Argument<string>("alias") { Description = "Image alias" };
        var file = new Argument<string>("file") { Description = "Archive to write (.tar.zst); its sha256 goes to FILE.sha256" };
        var command = new Command("export", "Write an image to a portable archive, with its sha256") { alias, file };
        command.SetAction(CommandAction.Run(async context =>
        {
            var path = Path.GetFullPath(context.Get(file));
            var job = await context.Client.ExportImageAsync(new Contracts.ImageExportRequest { Alias = context.Get(alias), File = path }, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Exported {context.Get(alias)} to {path}").ConfigureAwait(false);
            var checksum = path + ".sha256";
            if (File.Exists(checksum))
            {
                var sha256 = (await File.ReadAllTextAsync(checksum, context.CancellationToken).ConfigureAwait(false)).Split(' ', 2)[0];
                await context.Out.WriteLineAsync($"sha256 {sha256} (in {checksum})").ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateImport()
    {
        var file = new Argument<string>("file") { Description = "Archive written by image export" };
        var alias = new Option<string?>("--alias") { Description = "Name for the image (default: the archived one)", HelpName = "NAME" };
        var sha256 = new Option<string?>("--sha256") { Description = "Expected sha256 of the archive (default: read from FILE.sha256 when present)", HelpName = "HEX" };
        var command = new Command("import", "Add an image from an archive, checking its sha256") { file, alias, sha256 };
        command.SetAction(CommandAction.Run(async context =>
        {
            var request = new Contracts.ImageImportRequest { File = Path.GetFullPath(context.Get(file)), Alias = context.Get(alias), Sha256 = context.Get(sha256) };
            var job = await context.Client.ImportImageAsync(request, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            var fingerprint = job.Target["image:".Length..];
            var names = (await context.Client.ListImagesAsync(context.CancellationToken).ConfigureAwait(false))
                .Where(i => i.Fingerprint == fingerprint && (request.Alias is null || i.Alias == request.Alias)).Select(i => i.Alias);
            await context.Out.WriteLineAsync($"Imported image {string.Join(", ", names)} ({fingerprint[..ShortFingerprint]})").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var alias = new Argument<string>("alias") { Description = "Image alias" };
        var format = FormatOption.Create(FormatOption.Text, FormatOption.Json);
        var command = new Command("show", "Show an image: origin, recipe packages, cache, containers made from it") { alias, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            var image = await context.Client.GetImageAsync(context.Get(alias), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, image);
                return 0;
            }

            new FieldList()
                .Add("Alias", image.Alias)
                .Add("Origin", image.Source is null ? image.Origin : $"{image.Origin} ({image.Source})")
                .Add("Base", image.Base)
                .Add("OS", $"{image.Os} {image.Release}".Trim())
                .Add("Architecture", image.Architecture)
                .Add("Fingerprint", image.Fingerprint)
                .Add("Cached", image.Cached ? "yes" : "no (built at first use)")
                .Add("Size", image.SizeBytes is { } size ? HumanSize.Format(size) : null)
                .Add("Created", HumanTime.Format(image.CreatedAt))
                .Add("Containers", image.Containers.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("Packages", image.Packages.Count == 0 ? null : string.Join(", ", image.Packages))
                .WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateDelete()
    {
        var alias = new Argument<string>("alias") { Description = "Image alias" };
        var force = new Option<bool>("--force", "-f") { Description = "Delete even though containers were made from it (they keep their own copies)" };
        var command = new Command("delete", "Delete an image from the cache (and its definition, for images made with --packages)") { alias, force };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var job = await context.Client.DeleteImageAsync(context.Get(alias), context.Get(force), context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List known images and whether they are cached") { format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var images = await context.Client.ListImagesAsync(context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, images);
                return 0;
            }

            var table = new TablePrinter("ALIAS", "ORIGIN", "OS", "RELEASE", "ARCH", "CACHED", "SIZE", "FINGERPRINT", "CREATED");
            foreach (var image in images.OrderBy(image => image.Alias, StringComparer.Ordinal))
            {
                table.AddRow(
                    image.Alias,
                    image.Origin,
                    image.Os,
                    image.Release,
                    image.Architecture,
                    image.Cached ? "yes" : "no",
                    image.SizeBytes is { } size ? HumanSize.Format(size) : "-",
                    image.Fingerprint.Length > ShortFingerprint ? image.Fingerprint[..ShortFingerprint] : image.Fingerprint,
                    HumanTime.Format(image.CreatedAt));
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateBuild()
    {
        var alias = new Argument<string>("alias") { Description = "Image alias, e.g. debian/12" };
        var packages = new Option<string?>("--packages") { Description = "Comma-separated packages to add (a new image; needs --alias)", HelpName = "PKG,PKG" };
        var name = new Option<string?>("--alias") { Description = "Name of the new image", HelpName = "NAME" };
        var force = new Option<bool>("--force") { Description = "Build again even when this recipe is cached" };
        var command = new Command("build", "Build an image (once per recipe) and cache it") { alias, packages, name, force };
        command.SetAction(CommandAction.Run(async context =>
        {
            string imageAlias = context.Get(alias);
            var extra = context.Get(packages)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var job = await context.Client.BuildImageAsync(new Contracts.ImageBuildRequest { Alias = imageAlias, Packages = extra, As = context.Get(name), Force = context.Get(force) }, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Built {context.Get(name) ?? imageAlias}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
