using System.CommandLine.Parsing;

namespace Tuntas.Cli;

/// <summary>
/// The CLI's date options (<c>--as-of</c>, <c>--date</c>, <c>--from</c>, <c>--until</c>): one format, yyyy-MM-dd, read
/// with the invariant culture as the CLI writes dates (the machine's culture would read 01/02/2027 either way round),
/// and a date that does not exist (2027-02-30) or is written otherwise answered in both languages naming the option,
/// instead of System.CommandLine's English "Cannot parse argument …". The typed value is not repeated: it may be
/// anything, a NIK typed after the wrong option included.
/// </summary>
public static class DateOptions
{
    public const string Format = "yyyy-MM-dd";

    public static Option<DateOnly?> Optional(string name, string? description = null) =>
        new(name) { Description = description, CustomParser = result => Parse(result, name) };

    public static Option<DateOnly> Required(string name, string? description = null) =>
        new(name) { Description = description, Required = true, CustomParser = result => Parse(result, name) ?? default };

    private static DateOnly? Parse(ArgumentResult result, string name)
    {
        if (result.Tokens is [{ } token] && DateOnly.TryParseExact(token.Value, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        result.AddError(CliTexts.Both("Cli.DateUnreadable", name));
        return null;
    }
}
