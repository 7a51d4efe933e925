using Latchkey.Server.Protocol.Keys;
using Latchkey.Server.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Latchkey.Server.Management.Keys;

/// <summary>
/// Management API v2, signing keys (Auth0's <c>/api/v2/keys/signing</c>): list, read one, rotate (the next key signs
/// at once, the current one stays published), revoke a previous key (it leaves the JWKS and its tokens stop
/// verifying). Both are tenant writes, so every node follows within a second (<see cref="ProtocolKeyRing"/>).
/// </summary>
internal static class SigningKeysApi
{
    public static RouteGroupBuilder MapSigningKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup(string.Empty).WithTags("Keys");

        keys.MapGet("/keys/signing", ListAsync)
            .WithName("get_signing_keys")
            .WithSummary("Get all signing keys")
            .RequireManagementScope(ManagementScopes.ReadSigningKeys);

        keys.MapGet("/keys/signing/{kid}", GetAsync)
            .WithName("get_signing_key")
            .WithSummary("Get a signing key by its key id")
            .RequireManagementScope(ManagementScopes.ReadSigningKeys)
            .ProducesManagementError(StatusCodes.Status404NotFound);

        keys.MapPost("/keys/signing/rotate", RotateAsync)
            .WithName("post_signing_keys")
            .WithSummary("Rotate the signing key")
            .RequireManagementScope(ManagementScopes.CreateSigningKeys, ManagementScopes.UpdateSigningKeys);

        keys.MapPut("/keys/signing/{kid}/revoke", RevokeAsync)
            .WithName("put_signing_keys")
            .WithSummary("Revoke a signing key by its key id")
            .RequireManagementScope(ManagementScopes.UpdateSigningKeys)
            .ProducesManagementError(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        return api;
    }

    private static async Task<Ok<SigningKeyResponse[]>> ListAsync(ProtocolKeyRing keys, CancellationToken cancellationToken)
    {
        var list = await keys.ListSigningKeysAsync(cancellationToken);
        return TypedResults.Ok(list.Select(k => SigningKeyResponse.From(k.Key, k.State)).ToArray());
    }

    private static async Task<Results<Ok<SigningKeyResponse>, ManagementProblem>> GetAsync(string kid, ProtocolKeyRing keys, CancellationToken cancellationToken)
    {
        var found = (await keys.ListSigningKeysAsync(cancellationToken)).FirstOrDefault(k => k.Key.Id == kid);
        return found.Key is null ? ManagementErrors.SigningKeyNotFound() : TypedResults.Ok(SigningKeyResponse.From(found.Key, found.State));
    }

    private static async Task<Created<SigningKeyRotationResponse>> RotateAsync(ProtocolKeyRing keys, CancellationToken cancellationToken)
    {
        var current = await keys.RotateAsync(cancellationToken);
        return TypedResults.Created((string?)null, Summary(current));
    }

    private static async Task<Results<Ok<SigningKeyRotationResponse>, ManagementProblem>> RevokeAsync(string kid, ProtocolKeyRing keys, CancellationToken cancellationToken)
    {
        try
        {
            var revoked = await keys.RevokeAsync(kid, cancellationToken);
            return revoked is null ? ManagementErrors.SigningKeyNotFound() : TypedResults.Ok(Summary(revoked));
        }
        catch (InvalidOperationException exception)
        {
            return ManagementErrors.InvalidKeyState(exception.Message);
        }
    }

    private static SigningKeyRotationResponse Summary(ProtocolKey key) =>
        new(SigningKeyResponse.From(key, SigningKeyState.Current).Cert, key.Id);
}
