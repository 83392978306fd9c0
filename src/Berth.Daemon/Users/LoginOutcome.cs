namespace Berth.Daemon.Users;

/// <summary>How a password login went; only <see cref="Wrong"/> and <see cref="WrongCode"/> count as failures to the throttle.</summary>
public enum LoginOutcome
{
    Accepted,

    /// <summary>No such user, no password set yet, or the wrong password: all alike, so none tells whether the user exists.</summary>
    Wrong,

    /// <summary>The password was right and the account has TOTP, but no code came with it.</summary>
    CodeRequired,

    WrongCode,

    /// <summary>The right credentials of a disabled account.</summary>
    Disabled,
}
