namespace Berth.IntegrationTests.Infrastructure;

/// <summary>A Berth environment with an image directory of its own (empty at start), for tests that must build images from scratch.</summary>
public sealed class PrivateImagesBerthEnvironment : BerthEnvironment
{
    public string ImagesDir => Path.Combine(StateDir, "private-images");

    protected override string[] DaemonArguments => ["--images-dir", ImagesDir];
}
