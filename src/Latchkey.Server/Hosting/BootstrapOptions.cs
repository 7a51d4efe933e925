namespace Latchkey.Server.Hosting;

/// <summary>
/// <c>Latchkey:Bootstrap</c>: the first tenant administrator of a database that has none (docs/dashboard.md, "The first
/// administrator"). Applied at start; nothing happens once a user with that email exists.
/// </summary>
public sealed class BootstrapOptions
{
    /// <summary>Email of the administrator to create (role <c>Tenant Administrator</c>) when no user has that email.</summary>
    public string? AdminEmail { get; set; }

    /// <summary>
    /// Name of the environment variable holding the administrator's password. When it is unset or empty, a password is
    /// generated and printed once to standard output (never logged).
    /// </summary>
    public string AdminPasswordVariable { get; set; } = "LATCHKEY_ADMIN_PASSWORD";
}
