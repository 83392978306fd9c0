namespace Berth.Client;

/// <summary>berthd could not be reached, or the connection to it broke before it answered.</summary>
public sealed class BerthConnectionException : Exception
{
    public BerthConnectionException(string message)
        : base(message)
    {
    }

    public BerthConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
