using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Latchkey.Server.Users.Import;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;

namespace Latchkey.Server.Management.Jobs;

/// <summary>
/// The multipart body of Auth0's <c>POST /api/v2/jobs/users-imports</c>: a <c>users</c> file (a JSON array in Auth0's
/// bulk-import schema, at most <see cref="MaxFileBytes"/>), <c>connection_id</c>, and optional <c>upsert</c>,
/// <c>external_id</c>, <c>send_completion_email</c>. Other fields are ignored (Auth0's schema allows them). Bound as a
/// handler parameter like <see cref="ManagementBody{T}"/>; a refusal is answered by <see cref="RejectInvalidInput"/>.
/// </summary>
internal sealed partial class UsersImportForm : IManagementInput, IEndpointParameterMetadataProvider
{
    /// <summary>Auth0's limit for one import file: 500 KB.</summary>
    public const int MaxFileBytes = 500 * 1024;

    /// <summary>The whole request: the file and the few small fields with their multipart headers.</summary>
    private const int MaxRequestBytes = MaxFileBytes + (16 * 1024);

    private UsersImportForm(ManagementProblem? problem) => Problem = problem;

    public ManagementProblem? Problem { get; }

    public string Users { get; private init; } = string.Empty;

    public string ConnectionId { get; private init; } = string.Empty;

    public bool Upsert { get; private init; }

    public string? ExternalId { get; private init; }

    public bool SendCompletionEmail { get; private init; }

    public static async ValueTask<UsersImportForm> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return new(ManagementErrors.UnsupportedMediaType());
        }

        // Auth0 answers hapi's 413 for a file over its limit (ManagementErrors.PayloadTooLarge); the message names the
        // file limit, which is what the caller has to change.
        if (request.ContentLength > MaxRequestBytes)
        {
            return new(ManagementErrors.PayloadTooLarge(MaxFileBytes));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxRequestBytes;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxRequestBytes, ValueCountLimit = 32 }, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(ManagementErrors.PayloadTooLarge(MaxFileBytes));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return new(ManagementErrors.InvalidBody("Invalid multipart payload format"));
        }

        var file = form.Files.GetFile("users");
        byte[] users;
        if (file is not null)
        {
            if (file.Length > MaxFileBytes)
            {
                return new(ManagementErrors.PayloadTooLarge(MaxFileBytes));
            }

            users = new byte[file.Length];
            await using var stream = file.OpenReadStream();
            await stream.ReadExactlyAsync(users, context.RequestAborted);
        }
        else if (form.TryGetValue("users", out var text) && text.Count == 1)
        {
            users = Encoding.UTF8.GetBytes(text[0]!);
            if (users.Length > MaxFileBytes)
            {
                return new(ManagementErrors.PayloadTooLarge(MaxFileBytes));
            }
        }
        else
        {
            return new(Missing("users"));
        }

        if (!form.TryGetValue("connection_id", out var connection) || connection.Count != 1)
        {
            return new(Missing("connection_id"));
        }

        if (!ConnectionIdPattern().IsMatch(connection[0]!))
        {
            return new(ManagementErrors.InvalidBody("Payload validation error: 'String does not match pattern ^con_[A-Za-z0-9]{16}$' on property connection_id."));
        }

        var upsertProblem = Flag(form, "upsert", false, out var upsert);
        var emailProblem = Flag(form, "send_completion_email", true, out var sendCompletionEmail);
        if ((upsertProblem ?? emailProblem) is { } flagProblem)
        {
            return new(flagProblem);
        }

        string? externalId = null;
        if (form.TryGetValue("external_id", out var external))
        {
            externalId = external.Count == 1 ? external[0] : null;
            if (externalId is null || externalId.Length > 255)
            {
                return new(ManagementErrors.InvalidBody("Payload validation error: 'String is too long (max 255)' on property external_id."));
            }
        }

        // The file is read now, so a file that is not a JSON array of users in UTF-8 is refused at once rather than by a
        // failed job; the users themselves are checked one by one by the job (Auth0's per-user errors).
        string json;
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(users);
        }
        catch (DecoderFallbackException)
        {
            return new(ManagementErrors.InvalidBody("Payload validation error: 'The users file is not valid UTF-8' on property users."));
        }

        if (UserImporter.ParseFile(users, out var fileProblem) is null)
        {
            return new(ManagementErrors.InvalidBody($"Payload validation error: '{fileProblem}' on property users."));
        }

        return new(null)
        {
            Users = json,
            ConnectionId = connection[0]!,
            Upsert = upsert,
            ExternalId = externalId,
            SendCompletionEmail = sendCompletionEmail,
        };
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // No AcceptsMetadata: routing would answer 415 for another media type before authentication (401/403 come
        // first, as for every endpoint); BindAsync refuses it instead, and JobsApi describes the multipart body.
        foreach (var status in new[] { StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ManagementError), ["application/json"]));
        }
    }

    /// <summary>The multipart body in the OpenAPI document, Auth0's field names and types.</summary>
    public static OpenApiRequestBody OpenApiBody() => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["multipart/form-data"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "users", "connection_id" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["users"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = $"A JSON array of users in Auth0's bulk-import schema, at most {MaxFileBytes} bytes." },
                        ["connection_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^con_[A-Za-z0-9]{16}$" },
                        ["upsert"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Update users that exist (default false)." },
                        ["external_id"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                        ["send_completion_email"] = new OpenApiSchema { Type = JsonSchemaType.Boolean },
                    },
                },
            },
        },
    };

    private static ManagementProblem Missing(string name) =>
        ManagementErrors.InvalidBody($"Payload validation error: 'Missing required property: {name}'.");

    /// <summary>A multipart boolean: <c>true</c> or <c>false</c>, as the SDKs send it.</summary>
    private static ManagementProblem? Flag(IFormCollection form, string name, bool fallback, out bool value)
    {
        value = fallback;
        if (!form.TryGetValue(name, out var text))
        {
            return null;
        }

        if (text.Count == 1 && bool.TryParse(text[0], out value))
        {
            return null;
        }

        return ManagementErrors.InvalidBody($"Payload validation error: 'Expected type boolean but found type string' on property {name}.");
    }

    [GeneratedRegex("^con_[A-Za-z0-9]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionIdPattern();
}
