//! The options whose value is one of a fixed list (`--format json`): each
//! list is an enum written once, with every value's name and help, so the
//! parser, the help text and the error for a bad value can never disagree
//! on what is accepted.

/// An enum an option's value is parsed into.
pub trait ValueEnum: Sized + Copy + PartialEq + 'static {
    /// Every value, in the order the help lists them.
    const VARIANTS: &'static [Self];
    /// The name and the help (empty when it has none) of each of `VARIANTS`,
    /// in the same order.
    const NAMES: &'static [(&'static str, &'static str)];

    /// The value named `input` (any case with `ignore_case`).
    fn from_str(input: &str, ignore_case: bool) -> Result<Self, String> {
        Self::NAMES
            .iter()
            .zip(Self::VARIANTS)
            .find(|((name, _), _)| {
                if ignore_case {
                    name.eq_ignore_ascii_case(input)
                } else {
                    *name == input
                }
            })
            .map(|(_, v)| *v)
            .ok_or_else(|| format!("invalid value '{input}'"))
    }

    /// The name a user types for this value.
    fn name(self) -> &'static str {
        Self::VARIANTS
            .iter()
            .zip(Self::NAMES)
            .find(|(v, _)| **v == self)
            .map_or("", |(_, (name, _))| name)
    }
}

/// An enum and its `ValueEnum` impl from one list of
/// `Variant = "name" => "help"` (the help is optional, and is also the
/// variant's doc).
macro_rules! value_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal $(=> $help:literal)? ,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $( $(#[$vmeta])* $(#[doc = $help])? $variant, )+
        }
        impl ValueEnum for $name {
            const VARIANTS: &'static [Self] = &[$(Self::$variant),+];
            const NAMES: &'static [(&'static str, &'static str)] =
                &[$(($text, value_enum!(@help $($help)?))),+];
        }
    };
    (@help $help:literal) => { $help };
    (@help) => { "" };
}

value_enum! {
    /// `check --format`, `--output FORMAT`.
    pub enum Format {
        Human = "human",
        // One line per finding: `path:line:col: level[rule] message`.
        Concise = "concise",
        Json = "json",
        Sarif = "sarif",
        Github = "github",
        Markdown = "markdown",
    }
}

value_enum! {
    /// `--fail-on`: the least severity that fails the run.
    pub enum FailOn {
        Error = "error",
        Warning = "warning",
        Note = "note",
        Never = "never",
    }
}

value_enum! {
    /// `--min-confidence`: the least confidence a judgement needs to be shown.
    pub enum MinConfidence {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
}

value_enum! {
    /// `--persona`: who reads the output (zizmor's personas).
    pub enum Persona {
        Regular = "regular" => "Findings a user acts on: judgements of `medium` confidence and above",
        Auditor = "auditor" => "Everything, `low`-confidence judgements included",
    }
}

value_enum! {
    /// `--color`.
    #[derive(Default)]
    pub enum Color {
        #[default]
        Auto = "auto",
        Always = "always",
        Never = "never",
    }
}

value_enum! {
    /// `rules --format`.
    pub enum RulesFormat {
        Text = "text",
        Json = "json",
    }
}

value_enum! {
    /// `audit --format`.
    #[derive(Default)]
    pub enum AuditFormat {
        #[default]
        Markdown = "markdown",
        Json = "json",
        Html = "html",
    }
}

value_enum! {
    /// `upgrade --format`.
    #[derive(Default)]
    pub enum UpgradeFormat {
        #[default]
        Human = "human" => "Findings and a summary per service",
        Json = "json" => "Services, incompatibilities, tables, SQL and findings",
        Sql = "sql" => "The SQL for every service, in an order that runs",
        Prisma = "prisma" => "The Prisma ORM schema of every service once the SQL has run",
    }
}

value_enum! {
    /// `upgrade --database`.
    pub enum Database {
        Postgres = "postgres",
        Mysql = "mysql",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: ValueEnum + std::fmt::Debug>() {
        assert_eq!(T::VARIANTS.len(), T::NAMES.len());
        for v in T::VARIANTS {
            assert_eq!(T::from_str(v.name(), false), Ok(*v));
            assert_eq!(T::from_str(&v.name().to_uppercase(), true), Ok(*v));
            assert!(T::from_str(&v.name().to_uppercase(), false).is_err());
        }
        assert!(T::from_str("", true).is_err());
    }

    #[test]
    fn every_value_parses_from_its_own_name() {
        round_trip::<Format>();
        round_trip::<FailOn>();
        round_trip::<MinConfidence>();
        round_trip::<Persona>();
        round_trip::<Color>();
        round_trip::<RulesFormat>();
        round_trip::<AuditFormat>();
        round_trip::<UpgradeFormat>();
        round_trip::<Database>();
    }
}
