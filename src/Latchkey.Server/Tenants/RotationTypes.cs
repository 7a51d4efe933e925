namespace Latchkey.Server.Tenants;

/// <summary>Auth0's <c>refresh_token.rotation_type</c> values.</summary>
public static class RotationTypes
{
    /// <summary>Each refresh returns a new refresh token and retires the one presented (Auth0's SPA default).</summary>
    public const string Rotating = "rotating";

    /// <summary>The same refresh token is used again and again.</summary>
    public const string NonRotating = "non-rotating";

    public static readonly string[] All = [Rotating, NonRotating];
}
