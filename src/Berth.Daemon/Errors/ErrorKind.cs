namespace Berth.Daemon.Errors;

/// <summary>What went wrong, in the domain's terms; the API maps each kind to one HTTP status (see Api/ProblemMapping).</summary>
public enum ErrorKind
{
    /// <summary>The input is wrong: a bad name, value or combination (400).</summary>
    Invalid,

    /// <summary>No credentials, or wrong ones (401).</summary>
    Unauthenticated,

    /// <summary>The caller may not do this, whatever the input (403).</summary>
    Forbidden,

    /// <summary>No such object, or one the caller may not see (404).</summary>
    NotFound,

    /// <summary>It does not fit the current state: a name taken, a container running, a quota's neighbour (409).</summary>
    Conflict,

    /// <summary>A storage pool ran out of space (507).</summary>
    OutOfSpace,

    /// <summary>A server Berth depends on refused or failed (an ACME server) (502).</summary>
    Upstream,
}
