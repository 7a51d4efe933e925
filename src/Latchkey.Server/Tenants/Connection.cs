using System.Security.Cryptography;

namespace Latchkey.Server.Tenants;

/// <summary>
/// A database connection (Auth0 strategy <c>auth0</c>): where users with a password live, and the settings of their
/// sign-up. Latchkey has exactly one, Auth0's default <see cref="DefaultName"/>, created at start-up; the tenant file
/// sets its options in the Deploy CLI's shape, and the Management API's connections resource (issues 9 and 14) will
/// own it.
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

    public static string NewId()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return "con_" + RandomNumberGenerator.GetString(alphabet, 16);
    }
}
