namespace Latchkey.Server.Protocol;

/// <summary>Auth0's error texts for the <c>audience</c> parameter.</summary>
internal static class AudienceErrors
{
    /// <summary>Auth0 answers an unknown audience with <c>access_denied</c> and this description.</summary>
    public static string ServiceNotFound(string audience) => $"Service not found: {audience}";
}
