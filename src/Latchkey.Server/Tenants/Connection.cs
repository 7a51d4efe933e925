using System.Security.Cryptography;
using Latchkey.Server.Users;

namespace Latchkey.Server.Tenants;

/// <summary>
/// A database connection (Auth0 strategy <c>auth0</c>): where users with a password live, and the settings of their
/// sign-up. Latchkey has exactly one, Auth0's default <see cref="DefaultName"/>, created at start-up; the tenant file
/// sets its options in the Deploy CLI's shape, and the Management API's connections resource
/// (<c>Management/Connections</c>) reads and edits them.
/// </summary>
public sealed class Connection
{
    public const string DefaultName = "Username-Password-Authentication";
    public const string DatabaseStrategy = "auth0";

    /// <summary>Auth0's form: <c>con_</c> and 16 letters or digits.</summary>
    public required string Id { get; set; }

    public required string Name { get; set; }

    public string Strategy { get; set; } = DatabaseStrategy;

    /// <summary>
    /// Auth0 <c>options.disable_signup</c>: no self-service sign-up (the sign-up page refuses); users come from the tenant
    /// file or the Management API.
    /// </summary>
    public bool DisableSignup { get; set; }

    /// <summary>Auth0 <c>options.passwordPolicy</c> (<see cref="PasswordRequirements.Strengths"/>), or null: Latchkey's fixed rules only.</summary>
    public string? PasswordPolicy { get; set; }

    /// <summary>Auth0 <c>options.password_complexity_options.min_length</c>: at least <see cref="Users.PasswordPolicy.MinLength"/>.</summary>
    public int PasswordMinLength { get; set; } = Users.PasswordPolicy.MinLength;

    /// <summary>
    /// Auth0 <c>options.brute_force_protection</c>: block a (user, IP) pair after repeated failed logins
    /// (<c>AttackProtection/LoginThrottleService</c>). The per-IP throttles are tenant-wide and stay on.
    /// </summary>
    public bool BruteForceProtection { get; set; } = true;

    /// <summary>What a new password must satisfy on this connection (sign-up).</summary>
    internal PasswordRequirements PasswordRequirements => new(PasswordMinLength, PasswordPolicy);

    public static string NewId()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return "con_" + RandomNumberGenerator.GetString(alphabet, 16);
    }
}
