namespace Berth.Daemon.Images;

/// <summary>Where an image comes from, which decides whether Berth can build it again when its files are missing.</summary>
public enum ImageOrigin
{
    /// <summary>Built in: busybox and the Debian releases.</summary>
    Catalog,

    /// <summary>A Debian image plus packages, defined with 'image build --packages --alias'.</summary>
    Packages,

    /// <summary>Made from a container or one of its snapshots with 'publish'.</summary>
    Published,

    /// <summary>Brought from another host with 'image import'.</summary>
    Imported,
}
