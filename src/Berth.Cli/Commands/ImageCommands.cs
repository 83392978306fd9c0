using System.CommandLine;
using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary><c>berth image list|build</c>.</summary>
internal static class ImageCommands
{
    private const int ShortFingerprint = 12;

    public static Command Create() => new("image", "List and build images") { CreateList(), CreateBuild() };

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
        var command = new Command("build", "Build (or rebuild) an image and cache it") { alias };
        command.SetAction(CommandAction.Run(async context =>
        {
            string imageAlias = context.Get(alias);
            var job = await context.Client.BuildImageAsync(imageAlias, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Built {imageAlias}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
