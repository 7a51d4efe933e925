using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Latchkey.Server.Management;

/// <summary>
/// JSON settings of the Management API. Member names come from <c>[JsonPropertyName]</c> on each record (Auth0's
/// snake_case), matched case-sensitively as Auth0 does; duplicate members and unknown members are refused. Bodies are
/// parsed by <see cref="Hosting.StrictJson"/> first (<see cref="ManagementBody{T}"/>).
/// </summary>
internal static class ManagementJson
{
    /// <summary>Deep enough for any Auth0 body (metadata included), shallow enough to refuse nesting attacks (DOS-2).</summary>
    public const int MaxDepth = 32;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        MaxDepth = MaxDepth,
    };

    /// <summary>The JSON type names Auth0's validation messages use.</summary>
    public static string TypeName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
