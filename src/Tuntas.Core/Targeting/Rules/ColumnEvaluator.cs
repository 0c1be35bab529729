using Tuntas.Targeting.Snapshot;

namespace Tuntas.Targeting.Rules;

/// <summary>
/// Evaluates rule nodes a whole column at a time over a <see cref="RegistrySnapshot"/> (ARCHITECTURE §5): each node
/// becomes one tight loop over an array, so a rule of ten nodes over a million families is ten passes of simple
/// arithmetic, with no per-family interpretation. Values read as doubles with NaN for unknown (<see cref="Column"/>,
/// stored narrow); conditions are
/// <see cref="True"/>, <see cref="False"/> or <see cref="Unknown"/>.
/// A run field may come with a span (<paramref name="spans"/>: the desil of families the model could not tell apart,
/// <see cref="Runs.Deciles.Span"/>): a comparison or a list holds, or fails, only when it does at every value of the
/// span; a cut inside it is unknown ("belum pasti"), the way a missing value is.
/// </summary>
public sealed class ColumnEvaluator(
    RegistrySnapshot snapshot,
    IReadOnlyDictionary<string, Column>? runColumns = null,
    IReadOnlyDictionary<string, sbyte[]>? eligibility = null,
    IReadOnlyDictionary<string, ColumnEvaluator.SpanColumns>? spans = null)
{
    /// <summary>The lowest and highest value a run field may have per family; equal where the field is exact.</summary>
    public sealed record SpanColumns(Column Lowest, Column Highest);

    public const sbyte True = 1;
    public const sbyte False = 0;
    public const sbyte Unknown = -1;

    public sbyte[] Truth(ConditionNode node) => Truth(node, person: false);

    /// <summary>A value per family: a field's own column (not copied), else the computed values.</summary>
    public Column Values(ValueNode node)
    {
        var value = Value(node, person: false);
        return value.Column ?? Column.Constant(snapshot.FamilyCount, value.Constant);
    }

    private int Length(bool person) => person ? snapshot.PersonCount : snapshot.FamilyCount;

    /// <summary>An operand: a column, or a constant not worth an array.</summary>
    private readonly record struct Operand(Column? Column, double Constant)
    {
        public double this[int i] => Column is null ? Constant : Column[i];
    }

    /// <summary>A new array to compute into, starting from the operand's values.</summary>
    private static double[] Materialize(Operand operand, int length)
    {
        if (operand.Column is not null)
        {
            return operand.Column.ToArray();
        }
        var values = new double[length];
        Array.Fill(values, operand.Constant);
        return values;
    }

    private Operand Value(ValueNode node, bool person) => node switch
    {
        NumberNode n => new Operand(null, n.Value),
        FieldNode f => new Operand(FieldColumn(f.Field, person), 0),
        ArithmeticNode a => new Operand(Column.Of(Arithmetic(a, person)), 0),
        AggregateNode g => new Operand(Column.Of(Aggregate(g)), 0),
        ConditionValueNode c => new Operand(Column.Of(Truth(c.Condition, person)), 0),
        TextNode t => throw new InvalidOperationException($"Text '{t.Value}' outside a comparison (the parser refuses this)."),
        _ => throw new InvalidOperationException(node.GetType().Name),
    };

    private Column FieldColumn(TargetingField field, bool person)
    {
        var column = field.Scope == FieldScope.Run
            ? (runColumns ?? throw new InvalidOperationException($"Run field {field.Name} outside a run"))[field.Name]
            : snapshot.Column(field.Name);
        if (!person || field.Scope == FieldScope.Person)
        {
            return column;
        }
        // A family field inside a member aggregate: every member sees their family's value.
        return Column.PerMember(column, snapshot.PersonFamily);
    }

    private double[] Arithmetic(ArithmeticNode node, bool person)
    {
        var length = Length(person);
        var result = Materialize(Value(node.Operands[0], person), length);
        foreach (var operand in node.Operands.Skip(1))
        {
            var right = Value(operand, person);
            switch (node.Operator)
            {
                case "+":
                    for (var i = 0; i < length; i++) result[i] += right[i];
                    break;
                case "-":
                    for (var i = 0; i < length; i++) result[i] -= right[i];
                    break;
                case "*":
                    for (var i = 0; i < length; i++) result[i] *= right[i];
                    break;
                default:
                    // Division by zero for one family is unknown for that family, not infinity.
                    for (var i = 0; i < length; i++) result[i] = right[i] == 0 ? double.NaN : result[i] / right[i];
                    break;
            }
        }
        return result;
    }

    private double[] Aggregate(AggregateNode node)
    {
        var families = snapshot.FamilyCount;
        var start = snapshot.PersonStart;
        var where = node.Where is null ? null : Truth(node.Where, person: true);
        var result = new double[families];
        if (node.Function == "count")
        {
            for (var f = 0; f < families; f++)
            {
                double count = 0;
                for (var i = start[f]; i < start[f + 1]; i++)
                {
                    if (where![i] == Unknown)
                    {
                        count = double.NaN;
                        break;
                    }
                    count += where[i];
                }
                result[f] = count;
            }
            return result;
        }
        var values = Value(node.Value!, person: true);
        for (var f = 0; f < families; f++)
        {
            double acc = node.Function switch { "sum" => 0, "min" => double.PositiveInfinity, _ => double.NegativeInfinity };
            var any = false;
            for (var i = start[f]; i < start[f + 1]; i++)
            {
                if (where is not null && where[i] != True)
                {
                    if (where[i] == Unknown)
                    {
                        acc = double.NaN;
                        break;
                    }
                    continue;
                }
                var v = values[i];
                any = true;
                acc = node.Function switch
                {
                    "sum" => acc + v,
                    "min" => double.IsNaN(v) ? v : Math.Min(acc, v),
                    _ => double.IsNaN(v) ? v : Math.Max(acc, v),
                };
                if (double.IsNaN(acc))
                {
                    break;
                }
            }
            // min/max over no member is unknown; a sum over no member is 0.
            result[f] = any || node.Function == "sum" || double.IsNaN(acc) ? acc : double.NaN;
        }
        return result;
    }

    private sbyte[] Truth(ConditionNode node, bool person)
    {
        var length = Length(person);
        switch (node)
        {
            case ConstantNode c:
                {
                    var result = new sbyte[length];
                    Array.Fill(result, c.Value ? True : False);
                    return result;
                }
            case AllNode all:
                return Combine(all.Items, person, all: true);
            case AnyNode any:
                return Combine(any.Items, person, all: false);
            case NotNode not:
                {
                    var result = Truth(not.Item, person);
                    for (var i = 0; i < result.Length; i++)
                    {
                        result[i] = result[i] == Unknown ? Unknown : (sbyte)(1 - result[i]);
                    }
                    return result;
                }
            case KnownNode known:
                {
                    var value = Value(known.Value, person);
                    var result = new sbyte[length];
                    for (var i = 0; i < length; i++) result[i] = double.IsNaN(value[i]) ? False : True;
                    return result;
                }
            case CompareNode compare:
                return Compare(compare, person);
            case InNode inNode:
                return In(inNode, person);
            case MembersNode members:
                return Members(members);
            case EligibleNode eligible:
                {
                    // A program with no result (not in the run being previewed against) is unknown, never "not eligible".
                    if (eligibility is not null && eligibility.TryGetValue(eligible.ProgramCode, out var known))
                    {
                        return (sbyte[])known.Clone();
                    }
                    var unknown = new sbyte[length];
                    Array.Fill(unknown, Unknown);
                    return unknown;
                }
            default:
                throw new InvalidOperationException(node.GetType().Name);
        }
    }

    private sbyte[] Combine(IReadOnlyList<ConditionNode> items, bool person, bool all)
    {
        var result = Truth(items[0], person);
        var decisive = all ? False : True;
        foreach (var item in items.Skip(1))
        {
            var next = Truth(item, person);
            for (var i = 0; i < result.Length; i++)
            {
                var (a, b) = (result[i], next[i]);
                // Kleene: a decisive part decides (false for all, true for any); otherwise unknown wins over the other value.
                result[i] = a == decisive || b == decisive ? decisive : a == Unknown || b == Unknown ? Unknown : a;
            }
        }
        return result;
    }

    /// <summary>The span of a run field that has one (<see cref="SpanColumns"/>), aligned as <see cref="FieldColumn"/> aligns
    /// the field; null for any other value.</summary>
    private (Column Lowest, Column Highest)? Span(ValueNode node, bool person)
    {
        if (spans is null || node is not FieldNode { Field.Scope: FieldScope.Run } f || !spans.TryGetValue(f.Field.Name, out var span))
        {
            return null;
        }
        return person
            ? (Column.PerMember(span.Lowest, snapshot.PersonFamily), Column.PerMember(span.Highest, snapshot.PersonFamily))
            : (span.Lowest, span.Highest);
    }

    /// <summary>
    /// A comparison with a spanned field on one side (<see cref="SpanColumns"/>): true or false when it is so at every value
    /// of the span, else unknown. An order comparison is decided at the span's two ends (it holds on a whole range of
    /// values or on none between them); equality holds only for a span of one value and fails only for a value outside it.
    /// </summary>
    private sbyte[] CompareSpan(CompareNode node, bool person, (Column Lowest, Column Highest) span, bool spanOnLeft)
    {
        var length = Length(person);
        var other = Value(spanOnLeft ? node.Right : node.Left, person);
        // Written as span ⋄ other: a span on the right turns the order around.
        var op = spanOnLeft ? node.Operator : node.Operator switch { "<" => ">", "<=" => ">=", ">" => "<", ">=" => "<=", var same => same };
        // The judgement is chosen once, not per family (as in Compare). For an order: true when the whole span is on the
        // side asked, false when none of it is. A spanned field takes whole values (desil): a value outside its span, or
        // between two whole ones, is never it.
        Func<double, double, double, sbyte> judge = op switch
        {
            "<" => static (low, high, b) => high < b ? True : low < b ? Unknown : False,
            "<=" => static (low, high, b) => high <= b ? True : low <= b ? Unknown : False,
            ">" => static (low, high, b) => low > b ? True : high > b ? Unknown : False,
            ">=" => static (low, high, b) => low >= b ? True : high >= b ? Unknown : False,
            "=" => static (low, high, b) => low == high && low == b ? True : b < low || b > high || b != Math.Floor(b) ? False : Unknown,
            _ => static (low, high, b) => low == high && low == b ? False : b < low || b > high || b != Math.Floor(b) ? True : Unknown,
        };
        var result = new sbyte[length];
        for (var i = 0; i < length; i++)
        {
            double low = span.Lowest[i], high = span.Highest[i], b = other[i];
            result[i] = double.IsNaN(low) || double.IsNaN(high) || double.IsNaN(b) ? Unknown : judge(low, high, b);
        }
        return result;
    }

    private sbyte[] Compare(CompareNode node, bool person)
    {
        if (Span(node.Left, person) is { } leftSpan)
        {
            return CompareSpan(node, person, leftSpan, spanOnLeft: true);
        }
        if (node.Right is not TextNode && Span(node.Right, person) is { } rightSpan)
        {
            return CompareSpan(node, person, rightSpan, spanOnLeft: false);
        }
        var length = Length(person);
        var left = Value(node.Left, person);
        var right = node.Right is TextNode text
            ? new Operand(null, snapshot.Tables[((FieldNode)node.Left).Field.Name].Find(text.Value))
            : Value(node.Right, person);
        // The operator is chosen once, not per family: one comparison per value in the loop.
        Func<double, double, bool> holds = node.Operator switch
        {
            "<" => static (a, b) => a < b,
            "<=" => static (a, b) => a <= b,
            ">" => static (a, b) => a > b,
            ">=" => static (a, b) => a >= b,
            "=" => static (a, b) => a == b,
            _ => static (a, b) => a != b,
        };
        var result = new sbyte[length];
        for (var i = 0; i < length; i++)
        {
            double a = left[i], b = right[i];
            result[i] = double.IsNaN(a) || double.IsNaN(b) ? Unknown : holds(a, b) ? True : False;
        }
        return result;
    }

    private sbyte[] In(InNode node, bool person)
    {
        var length = Length(person);
        var value = Value(node.Value, person);
        var options = node.Options.Select(o => o is TextNode t
            ? snapshot.Tables[((FieldNode)node.Value).Field.Name].Find(t.Value)
            : ((NumberNode)o).Value).ToHashSet();
        var result = new sbyte[length];
        if (Span(node.Value, person) is { } span)
        {
            // A spanned field (whole numbers: desil) is in the list when every value of its span is, and not in it when none is.
            for (var i = 0; i < length; i++)
            {
                double low = span.Lowest[i], high = span.Highest[i];
                if (double.IsNaN(low) || double.IsNaN(high))
                {
                    result[i] = Unknown;
                    continue;
                }
                var listed = 0;
                for (var v = low; v <= high; v++) listed += options.Contains(v) ? 1 : 0;
                result[i] = listed == 0 ? False : listed == high - low + 1 ? True : Unknown;
            }
            return result;
        }
        for (var i = 0; i < length; i++)
        {
            var v = value[i];
            result[i] = double.IsNaN(v) ? Unknown : options.Contains(v) ? True : False;
        }
        return result;
    }

    private sbyte[] Members(MembersNode node)
    {
        var member = Truth(node.Condition, person: true);
        var start = snapshot.PersonStart;
        var result = new sbyte[snapshot.FamilyCount];
        var decisive = node.All ? False : True;
        for (var f = 0; f < result.Length; f++)
        {
            // Kleene over the members: one decisive member decides; otherwise any unknown member makes it unknown.
            var outcome = (sbyte)(1 - decisive);
            for (var i = start[f]; i < start[f + 1]; i++)
            {
                if (member[i] == decisive)
                {
                    outcome = decisive;
                    break;
                }
                if (member[i] == Unknown)
                {
                    outcome = Unknown;
                }
            }
            result[f] = outcome;
        }
        return result;
    }
}
