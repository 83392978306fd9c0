using System.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary><c>berth image list|build</c>.</summary>
internal static class ImageCommands
{
    private const int ShortFingerprint = 12;

    public static Command Create() => new("image", "List, build, show and delete images") { CreateList(), CreateBuild(), CreateShow(), CreateDelete() };

    private static Command CreateShow()
    {
        var alias = new Argument<string>("alias") { Description = "Image alias" };
        var command = new Command("show", "Show an image: recipe packages, cache, containers made from it") { alias };
        command.SetAction(CommandAction.Run(async context =>
        {
            JsonOutput.Write(context.Out, await context.Client.GetImageAsync(context.Get(alias), context.CancellationToken).ConfigureAwait(false));
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

            var table = new TablePrinter("ALIAS", "OS", "RELEASE", "ARCH", "CACHED", "SIZE", "FINGERPRINT", "CREATED");
            foreach (var image in images.OrderBy(image => image.Alias, StringComparer.Ordinal))
            {
                table.AddRow(
                    image.Alias,
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
