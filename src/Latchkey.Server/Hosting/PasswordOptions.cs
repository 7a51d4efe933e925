namespace Latchkey.Server.Hosting;

/// <summary><c>Latchkey:Passwords</c>: how user passwords are stored.</summary>
public sealed class PasswordOptions
{
    /// <summary>The OWASP Password Storage Cheat Sheet's minimum for PBKDF2-HMAC-SHA512.</summary>
    public const int MinimumHashIterations = 210_000;

    /// <summary>
    /// PBKDF2-HMAC-SHA512 iterations for new password hashes; hashes made with fewer are upgraded at the next login.
    /// Costs CPU on every login and sign-up.
    /// </summary>
    public int HashIterations { get; set; } = MinimumHashIterations;
}
