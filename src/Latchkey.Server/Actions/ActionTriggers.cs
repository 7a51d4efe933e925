namespace Latchkey.Server.Actions;

/// <summary>The triggers Latchkey runs, with Auth0's ids and the version of their <c>event</c>/<c>api</c> it offers.</summary>
public static class ActionTriggers
{
    /// <summary>After a user logs in (authorize) and at every refresh, before the tokens are built.</summary>
    public const string PostLogin = "post-login";

    /// <summary>Before a client_credentials access token is issued.</summary>
    public const string CredentialsExchange = "credentials-exchange";

    public static readonly IReadOnlyDictionary<string, string> Versions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [PostLogin] = "v3",
        [CredentialsExchange] = "v2",
    };

    /// <summary>The exported function Auth0 calls for the trigger.</summary>
    public static string HandlerName(string triggerId) => triggerId switch
    {
        PostLogin => "onExecutePostLogin",
        CredentialsExchange => "onExecuteCredentialsExchange",
        _ => throw new ArgumentOutOfRangeException(nameof(triggerId), triggerId, "Unknown trigger."),
    };
}
