using Latchkey.Server.Protocol.Browser;
using Latchkey.Server.Protocol.Keys;
using Latchkey.Server.Tenants;

namespace Latchkey.Server.Management;

/// <summary>
/// Management API v2, signing keys (Auth0's <c>/api/v2/keys/signing</c>): list, read one, rotate (the next key signs
/// at once, the current one stays published), revoke a previous key (it leaves the JWKS and its tokens stop
/// verifying). Every node follows within <c>Latchkey:Keys:RefreshInterval</c> (<see cref="ProtocolKeyRing"/>).
/// </summary>
internal static class SigningKeysApi
{
    public static RouteGroupBuilder MapSigningKeysApi(this RouteGroupBuilder api)
    {
        api.MapGet("/keys/signing", ListAsync);
        api.MapGet("/keys/signing/{kid}", GetAsync);
        api.MapPost("/keys/signing/rotate", RotateAsync);
        api.MapPut("/keys/signing/{kid}/revoke", RevokeAsync);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ProtocolKeyRing keys)
    {
        if (await AuthorizeAsync(http, ManagementApiDefinition.ReadSigningKeys) is { } denied)
        {
            return denied;
        }

        var list = await keys.ListSigningKeysAsync(http.RequestAborted);
        return Results.Json(list.Select(k => SigningKeyResponse.From(k.Key, k.State)));
    }

    private static async Task<IResult> GetAsync(string kid, HttpContext http, ProtocolKeyRing keys)
    {
        if (await AuthorizeAsync(http, ManagementApiDefinition.ReadSigningKeys) is { } denied)
        {
            return denied;
        }

        var found = (await keys.ListSigningKeysAsync(http.RequestAborted)).FirstOrDefault(k => k.Key.Id == kid);
        return found.Key is null ? KeyNotFound() : Results.Json(SigningKeyResponse.From(found.Key, found.State));
    }

    private static async Task<IResult> RotateAsync(HttpContext http, ProtocolKeyRing keys)
    {
        if (await AuthorizeAsync(http, ManagementApiDefinition.CreateSigningKeys) is { } denied)
        {
            return denied;
        }

        var current = await keys.RotateAsync(http.RequestAborted);
        return Results.Json(Summary(current), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeAsync(string kid, HttpContext http, ProtocolKeyRing keys)
    {
        if (await AuthorizeAsync(http, ManagementApiDefinition.UpdateSigningKeys) is { } denied)
        {
            return denied;
        }

        try
        {
            var revoked = await keys.RevokeAsync(kid, http.RequestAborted);
            return revoked is null ? KeyNotFound() : Results.Json(Summary(revoked));
        }
        catch (InvalidOperationException exception)
        {
            return ManagementErrors.BadRequest(exception.Message, "invalid_key_state");
        }
    }

    /// <summary>Auth0 answers rotate and revoke with <c>{"cert","kid"}</c>.</summary>
    private static object Summary(ProtocolKey key) => new
    {
        cert = SigningKeyResponse.From(key, SigningKeyState.Current).Cert,
        kid = key.Id,
    };

    private static IResult KeyNotFound() => ManagementErrors.NotFound("Signing key not found", "inexistent_key");

    private static async Task<IResult?> AuthorizeAsync(HttpContext http, string scope)
    {
        var (caller, error) = await ManagementAuthentication.AuthenticateAsync(http);
        if (caller is null)
        {
            return error!;
        }

        return caller.Has(scope) ? null : ManagementErrors.InsufficientScope(scope);
    }

    public static void Map(WebApplication app) =>
        app.MapGroup("/api/v2").MapSigningKeysApi().RequireCors(ClientCorsPolicyProvider.PolicyName);
}
