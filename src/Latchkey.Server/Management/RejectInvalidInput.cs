namespace Latchkey.Server.Management;

/// <summary>
/// Answers with the error of the first invalid <see cref="IManagementInput"/> argument instead of calling the handler.
/// Added to the whole <c>/api/v2</c> group; it is a no-op for endpoints without such parameters.
/// </summary>
internal static class RejectInvalidInput
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var inputs = factory.MethodInfo.GetParameters()
            .Select((p, i) => (p, i))
            .Where(x => typeof(IManagementInput).IsAssignableFrom(x.p.ParameterType))
            .Select(x => x.i)
            .ToArray();
        if (inputs.Length == 0)
        {
            return next;
        }

        return context =>
        {
            foreach (var index in inputs)
            {
                if (context.Arguments[index] is IManagementInput { Problem: { } problem })
                {
                    return ValueTask.FromResult<object?>(problem);
                }
            }

            return next(context);
        };
    }
}
