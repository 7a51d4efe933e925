namespace Latchkey.Server.Users;

/// <summary>Why <see cref="UserAccess"/> refuses a user tokens.</summary>
internal enum UserDenial
{
    /// <summary>The user may get tokens.</summary>
    None,

    /// <summary>No such user (deleted since the session or token was issued).</summary>
    Unknown,

    /// <summary>An administrator blocked the user.</summary>
    Blocked,
}
