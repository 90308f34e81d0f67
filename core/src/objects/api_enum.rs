//! String enums of the API, typed.
//!
//! Go declares these as `type ServiceType string` with a few constants: any string
//! loads, defaulting fills an empty one, and validation names a wrong one in its own
//! words (`spec.type: Unsupported value: "Nodeport": supported values: …`). The Rust
//! types keep exactly that: one variant per constant, `Unset` for
//! the empty string, and `Other` holding any other text as written — so a wrong value
//! still loads and prints, while code compares variants, never strings.

/// Declares an API string enum: `Unset` (the empty string, the default), one variant per
/// upstream constant, and `Other(String)` for anything else, with `as_str`, `parse`,
/// `Display`, `SUPPORTED` (the constants' spellings, sorted, as validation lists them)
/// and serde as a plain string.
macro_rules! api_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            /// The empty string: not given (defaulting fills it in).
            #[default]
            Unset,
            $( $(#[$vmeta])* $variant, )+
            /// Any other text, kept as written so that validation can name it.
            Other(String),
        }

        impl $name {
            /// The upstream constants' spellings, sorted (validation's "supported values").
            pub const SUPPORTED: &'static [&'static str] = &{
                let mut all = [$($text),+];
                // Sorted at compile time: a tiny insertion sort over the constants.
                let mut i = 1;
                while i < all.len() {
                    let mut j = i;
                    while j > 0 && $crate::objects::api_enum::str_lt(all[j], all[j - 1]) {
                        let t = all[j];
                        all[j] = all[j - 1];
                        all[j - 1] = t;
                        j -= 1;
                    }
                    i += 1;
                }
                all
            };

            /// The API spelling (`""` when unset).
            pub fn as_str(&self) -> &str {
                match self {
                    $name::Unset => "",
                    $( $name::$variant => $text, )+
                    $name::Other(s) => s,
                }
            }

            /// Reads the API spelling (case-sensitive, as the API is); never fails.
            pub fn parse(s: &str) -> Self {
                match s {
                    "" => $name::Unset,
                    $( $text => $name::$variant, )+
                    other => $name::Other(other.to_owned()),
                }
            }

            /// Whether it is empty (not given).
            pub fn is_unset(&self) -> bool {
                matches!(self, $name::Unset)
            }

            /// Whether it is one of the upstream constants.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unset | $name::Other(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::parse(s)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.as_str().to_owned()
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Ok($name::parse(&s))
            }
        }

        impl $crate::objects::api_enum::ApiText for $name {
            fn text(&self) -> &str {
                self.as_str()
            }
            fn set_text(&mut self, s: &str) {
                *self = $name::parse(s);
            }
        }
    };
}

pub(crate) use api_enum;

/// A field whose value is API text: the manifest reader and writer see every API enum
/// through this one trait, so they are compiled once.
pub trait ApiText {
    /// The text as the API spells it (`""` when unset).
    fn text(&self) -> &str;
    /// Sets it from API text.
    fn set_text(&mut self, s: &str);
}

/// `a < b` byte-wise, usable in a `const` context.
pub(crate) const fn str_lt(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

#[cfg(test)]
mod tests {
    use crate::objects::{Protocol, ServiceType};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn keeps_unknown_text_and_lists_the_constants_sorted() {
        assert_eq!(ServiceType::parse("NodePort"), ServiceType::NodePort);
        assert_eq!(ServiceType::parse(""), ServiceType::Unset);
        assert_eq!(
            ServiceType::parse("Nodeport"),
            ServiceType::Other("Nodeport".into())
        );
        assert_eq!(ServiceType::parse("Nodeport").to_string(), "Nodeport");
        assert_eq!(
            ServiceType::SUPPORTED,
            ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
        );
        assert_eq!(Protocol::SUPPORTED, ["SCTP", "TCP", "UDP"]);
        assert!(Protocol::Tcp.is_known() && !Protocol::Unset.is_known());
    }
}
