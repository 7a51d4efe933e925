namespace Latchkey.Server.Tenants;

/// <summary>Auth0's <c>app_type</c> values for an Application.</summary>
public static class AppTypes
{
    public const string Spa = "spa";
    public const string RegularWeb = "regular_web";
    public const string Native = "native";
    public const string NonInteractive = "non_interactive";

    public static readonly string[] All = [Spa, RegularWeb, Native, NonInteractive];

    /// <summary>Public clients (RFC 6749 §2.1) cannot keep a secret: single-page and native applications.</summary>
    public static bool IsPublic(string? appType) => appType is Spa or Native;
}
