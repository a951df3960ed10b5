//! A map from relative paths to records, kept compact for the manifest
//! and the dashboard's rows: a folder of 100,000 notes has about 280,000
//! manifest records, read at the start of every writing run and mostly
//! left as they are, and 100,000 rows.
//!
//! Records sit in one sorted vector whose keys are spans of one string,
//! found by binary search: no allocation and no tree node per key. Those
//! read in order (the manifest is saved sorted) are appended to it; those
//! added out of order go to a small ordered map beside it, which is merged
//! into the vector's tail once it holds a few hundred records and an
//! eighth of the vector's (records vetted in parallel arrive nearly in
//! order, so mostly the tail moves). Removing a
//! record leaves an empty slot. Iteration merges the two in key order, so
//! the map serializes exactly as a `BTreeMap` of the same records does.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::collections::btree_map;
use std::iter::Peekable;
use std::ops::Bound;

/// Where a path is in a [`Texts`]: 8 bytes instead of a string's 16 and
/// its allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u32,
    len: u32,
}

/// Paths one after another in one string, each named by its [`Span`]: how
/// the manifest's records, the rows, the parse cache's index and the notes
/// of a pass hold their paths.
#[derive(Debug, Clone, Default)]
pub struct Texts(String);

impl Texts {
    /// Adds `s`; `None` when it would end beyond what a span can name
    /// (4 GiB of paths).
    pub fn push(&mut self, s: &str) -> Option<Span> {
        let start = u32::try_from(self.0.len()).ok()?;
        let len = u32::try_from(s.len()).ok()?;
        start.checked_add(len)?;
        self.0.push_str(s);
        Some(Span { start, len })
    }

    /// Makes room for `more` bytes of paths, when it can (a hint only).
    pub fn reserve(&mut self, more: usize) {
        let _ = self.0.try_reserve(more);
    }

    /// Whether `more` bytes of paths still fit.
    pub fn has_room(&self, more: usize) -> bool {
        u32::try_from(self.0.len() + more).is_ok()
    }

    pub fn get(&self, span: Span) -> &str {
        let start = span.start as usize;
        self.0.get(start..start + span.len as usize).unwrap_or("")
    }

    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

/// How many places [`search_near`] remembers per thread.
const RECENT: usize = 8;

/// How many records on either side of a remembered place it looks at.
const NEAR: usize = 4;

thread_local! {
    /// The places of the last keys found, with the list each is in (by
    /// its address; `0`: none). A hint only: each is checked.
    static FOUND: std::cell::Cell<[(usize, usize); RECENT]> =
        const { std::cell::Cell::new([(0, 0); RECENT]) };
}

/// Where `key` is in `sorted` (strictly increasing by `key_of`), as a
/// binary search gives it; first trying just after the places this
/// thread last found keys in the same list (`list`: its address, or
/// anything that names it).
///
/// Notes are vetted in path order, each worker taking a run of
/// neighbours, and each list read here (the parse cache's index, the
/// manifest's records) is in path order too: the next note's record
/// is nearly always the one after the last found. That is one or two
/// comparisons where a binary search of 28,000 records makes fifteen,
/// each in a part of memory the last did not touch (a tenth of an
/// unchanged re-run's time on 10,000 notes went to them).
pub fn search_near<'a, T>(
    list: usize,
    sorted: &'a [T],
    key: &str,
    key_of: impl Fn(&'a T) -> &'a str,
) -> Result<usize, usize> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let mut found = FOUND.get();
    let cmp = |i: usize| sorted.get(i).map(|t| key.cmp(key_of(t)));
    for (slot, &(l, at)) in found.iter().enumerate() {
        if l != list {
            continue;
        }
        // A few places on either side of the last found (a note's
        // letters are looked up in their kinds' order, not their
        // names'): the key is there, or between two neighbours there
        // (then it is in the list nowhere).
        let mut answer = None;
        match cmp(at) {
            Some(Equal) => answer = Some(Ok(at)),
            Some(Greater) => {
                for i in at + 1..at + 1 + NEAR {
                    match cmp(i) {
                        Some(Greater) => continue,
                        Some(Equal) => answer = Some(Ok(i)),
                        Some(Less) | None => answer = Some(Err(i)),
                    }
                    break;
                }
            }
            Some(Less) => {
                for i in (at.saturating_sub(NEAR)..at).rev() {
                    match cmp(i) {
                        Some(Less) if i > 0 => continue,
                        Some(Less) => answer = Some(Err(0)),
                        Some(Equal) => answer = Some(Ok(i)),
                        Some(Greater) | None => answer = Some(Err(i + 1)),
                    }
                    break;
                }
            }
            None => {}
        }
        if let Some(r) = answer {
            if let Ok(i) = r {
                found[slot].1 = i;
                FOUND.set(found);
            }
            return r;
        }
    }
    let r = sorted.binary_search_by(|t| key_of(t).cmp(key));
    if let Ok(i) = r {
        // A list searched in a few places at once (`summaries/` and
        // `letters/` in the manifest) keeps two: once it has them, the
        // one nearer to where the key was moves here; else the oldest
        // place of any list goes.
        let theirs = || found.iter().enumerate().filter(|(_, (l, _))| *l == list);
        let slot = match theirs().min_by_key(|(_, (_, at))| at.abs_diff(i)) {
            Some((slot, _)) if theirs().count() >= 2 => slot,
            _ => {
                found.rotate_right(1);
                0
            }
        };
        found[slot] = (list, i);
        FOUND.set(found);
    }
    r
}

/// One record of the vector: its key and its value (`None` once removed).
#[derive(Debug, Clone)]
struct Slot<V> {
    key: Span,
    value: Option<V>,
}

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct PathMap<V> {
    /// The keys of `base`.
    text: Texts,
    /// Records in strictly increasing key order.
    base: Vec<Slot<V>>,
    /// Records whose key is not in `base` (removed slots included).
    added: BTreeMap<Box<str>, V>,
    /// How many slots of `base` hold a value.
    live: usize,
}

impl<V> Default for PathMap<V> {
    fn default() -> Self {
        PathMap {
            text: Texts::default(),
            base: Vec::new(),
            added: BTreeMap::new(),
            live: 0,
        }
    }
}

impl<V: PartialEq> PartialEq for PathMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// How many records wait beside the vector, at least, before they are
/// merged in.
const SETTLE_AT: usize = if cfg!(test) { 3 } else { 256 };

impl<V> PathMap<V> {
    fn key<'a>(text: &'a Texts, slot: &Slot<V>) -> &'a str {
        text.get(slot.key)
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        search_near(self as *const Self as usize, &self.base, key, |s| {
            Self::key(&self.text, s)
        })
    }

    /// Adds a record: after the last read one when its key sorts after
    /// it (as every record of a saved manifest does), else as an insert.
    pub fn push(&mut self, key: &str, value: V) {
        let after_last = self
            .base
            .last()
            .is_none_or(|s| Self::key(&self.text, s) < key);
        if after_last
            && !self.added.contains_key(key)
            && let Some(span) = self.text.push(key)
        {
            self.base.push(Slot {
                key: span,
                value: Some(value),
            });
            self.live += 1;
        } else {
            self.insert(key, value);
        }
    }

    /// Makes room for `records` more records and `text` more bytes of
    /// their paths (read from a file that says how many it holds: no
    /// vector grows by copying itself over and over).
    /// A hint only: what cannot be had is not reserved.
    pub fn reserve(&mut self, records: usize, text: usize) {
        let _ = self.base.try_reserve(records);
        self.text.reserve(text);
    }

    /// Gives back memory reserved while reading.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.base.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.live + self.added.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        match self.find(key) {
            Ok(i) => self.base[i].value.as_ref(),
            Err(_) => self.added.get(key),
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        match self.find(key) {
            Ok(i) => self.base[i].value.as_mut(),
            Err(_) => self.added.get_mut(key),
        }
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets the record of `key`, returning the one it replaces.
    pub fn insert(&mut self, key: &str, value: V) -> Option<V> {
        match self.find(key) {
            Ok(i) => {
                let old = self.base[i].value.replace(value);
                if old.is_none() {
                    self.live += 1;
                }
                old
            }
            Err(_) => {
                let old = self.added.insert(key.into(), value);
                // Also an eighth of the vector: records of two sorts that
                // interleave (`letters/…` and `summaries/…` written note by
                // note) move the vector's tail at each merge, so merges
                // must grow with it (a fixed batch made a first run at
                // 100,000 notes twice as long).
                if self.added.len() >= SETTLE_AT.max(self.live / 8) {
                    self.settle();
                }
                old
            }
        }
    }

    /// Merges the records waiting beside the vector into it: the vector's
    /// records from the first of them on are merged with them (dropping
    /// empty slots there); those before it stay where they are.
    fn settle(&mut self) {
        let more: usize = self.added.keys().map(|k| k.len()).sum();
        let Some(first) = self.added.keys().next() else {
            return;
        };
        if !self.text.has_room(more) {
            return;
        }
        let from = self
            .base
            .partition_point(|s| Self::key(&self.text, s) < &**first);
        let tail: Vec<Slot<V>> = self
            .base
            .drain(from..)
            .filter(|s| s.value.is_some())
            .collect();
        let mut tail = tail.into_iter().peekable();
        for (key, value) in std::mem::take(&mut self.added) {
            while let Some(s) = tail.next_if(|s| Self::key(&self.text, s) < &*key) {
                self.base.push(s);
            }
            // There is room: checked above.
            let Some(span) = self.text.push(&key) else {
                self.added.insert(key, value);
                continue;
            };
            self.base.push(Slot {
                key: span,
                value: Some(value),
            });
            self.live += 1;
        }
        self.base.extend(tail);
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        match self.find(key) {
            Ok(i) => {
                let old = self.base[i].value.take();
                if old.is_some() {
                    self.live -= 1;
                }
                old
            }
            Err(_) => self.added.remove(key),
        }
    }

    /// The record of `key`, made with `V::default()` when there is none.
    pub fn get_or_default(&mut self, key: &str) -> &mut V
    where
        V: Default,
    {
        match self.find(key) {
            Ok(i) => {
                let slot = &mut self.base[i];
                if slot.value.is_none() {
                    self.live += 1;
                }
                slot.value.get_or_insert_with(V::default)
            }
            Err(_) => self.added.entry(key.into()).or_default(),
        }
    }

    pub fn clear(&mut self) {
        *self = PathMap::default();
    }

    /// Every record, in key order.
    pub fn iter(&self) -> Iter<'_, V> {
        self.range_from(None)
    }

    /// The records whose key is `from` or after it, in key order.
    pub fn range_from(&self, from: Option<&str>) -> Iter<'_, V> {
        let (first, added) = match from {
            Some(k) => (
                self.base.partition_point(|s| Self::key(&self.text, s) < k),
                self.added
                    .range::<str, _>((Bound::Included(k), Bound::Unbounded)),
            ),
            None => (0, self.added.range::<str, _>(..)),
        };
        Iter {
            text: &self.text,
            base: self.base[first..].iter().peekable(),
            added: added.peekable(),
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(k, _)| k)
    }

    /// Every value, in no particular order.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.base
            .iter_mut()
            .filter_map(|s| s.value.as_mut())
            .chain(self.added.values_mut())
    }

    /// Keeps the records for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut V) -> bool) {
        let text = &self.text;
        for slot in &mut self.base {
            let key = Self::key(text, slot);
            if let Some(v) = &mut slot.value
                && !keep(key, v)
            {
                slot.value = None;
                self.live -= 1;
            }
        }
        self.added.retain(|k, v| keep(k, v));
    }
}

/// The records of a [`PathMap`] in key order.
pub struct Iter<'a, V> {
    text: &'a Texts,
    base: Peekable<std::slice::Iter<'a, Slot<V>>>,
    added: Peekable<btree_map::Range<'a, Box<str>, V>>,
}

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = (&'a str, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            // Removed slots are passed over.
            while self.base.peek().is_some_and(|s| s.value.is_none()) {
                self.base.next();
            }
            let from_base = match (self.base.peek(), self.added.peek()) {
                (None, None) => return None,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some(s), Some((k, _))) => PathMap::key(self.text, s) < &***k,
            };
            if from_base {
                let s = self.base.next()?;
                if let Some(v) = &s.value {
                    return Some((PathMap::key(self.text, s), v));
                }
            } else {
                let (k, v) = self.added.next()?;
                return Some((k, v));
            }
        }
    }
}

impl<V: Serialize> Serialize for PathMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for PathMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        read_map(d, |_, v| v)
    }
}

/// Reads a map into a [`PathMap`], turning each record read (`W`, with
/// its key) into the value kept; as with a `BTreeMap`, the last of
/// repeated keys wins.
pub fn read_map<'de, D, W, V>(d: D, make: impl FnMut(&str, W) -> V) -> Result<PathMap<V>, D::Error>
where
    D: Deserializer<'de>,
    W: Deserialize<'de>,
{
    struct Records<W, V, F>(F, std::marker::PhantomData<(W, V)>);
    impl<'de, W: Deserialize<'de>, V, F: FnMut(&str, W) -> V> Visitor<'de> for Records<W, V, F> {
        type Value = PathMap<V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of paths")
        }
        fn visit_map<A: MapAccess<'de>>(mut self, mut m: A) -> Result<Self::Value, A::Error> {
            let mut map = PathMap::default();
            while let Some((key, w)) = m.next_entry::<std::borrow::Cow<'de, str>, W>()? {
                let value = (self.0)(&key, w);
                map.push(&key, value);
            }
            map.shrink_to_fit();
            Ok(map)
        }
    }
    d.deserialize_map(Records(make, std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::PathMap;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    enum Op {
        Push(String, u8),
        Insert(String, u8),
        Remove(String),
        Bump(String),
        Default(String),
        RetainOdd,
    }

    fn key() -> impl Strategy<Value = String> {
        // Few keys, so that operations meet; prefixes of each other too.
        prop::sample::select(vec!["a", "a/b", "a/b.md", "ab", "b", "b/c", "c", "é", "z"])
            .prop_map(str::to_string)
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (key(), any::<u8>()).prop_map(|(k, v)| Op::Push(k, v)),
            2 => (key(), any::<u8>()).prop_map(|(k, v)| Op::Insert(k, v)),
            2 => key().prop_map(Op::Remove),
            1 => key().prop_map(Op::Bump),
            1 => key().prop_map(Op::Default),
            1 => Just(Op::RetainOdd),
        ]
    }

    proptest! {
        /// Whatever is done to it, a PathMap holds, finds, lists in order
        /// and serializes what a BTreeMap given the same operations does.
        #[test]
        fn a_path_map_is_a_btreemap(ops in prop::collection::vec(op(), 0..40), from in key()) {
            let mut map = PathMap::default();
            let mut model: BTreeMap<String, u8> = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Push(k, v) => {
                        map.push(&k, v);
                        model.insert(k, v);
                    }
                    Op::Insert(k, v) => {
                        prop_assert_eq!(map.insert(&k, v), model.insert(k, v));
                    }
                    Op::Remove(k) => prop_assert_eq!(map.remove(&k), model.remove(&k)),
                    Op::Bump(k) => {
                        if let Some(v) = map.get_mut(&k) {
                            *v = v.wrapping_add(1);
                        }
                        if let Some(v) = model.get_mut(&k) {
                            *v = v.wrapping_add(1);
                        }
                    }
                    Op::Default(k) => {
                        let v = map.get_or_default(&k);
                        *v = v.wrapping_add(2);
                        let v = model.entry(k).or_default();
                        *v = v.wrapping_add(2);
                    }
                    Op::RetainOdd => {
                        map.retain(|_, v| *v % 2 == 1);
                        model.retain(|_, v| *v % 2 == 1);
                    }
                }
                prop_assert_eq!(map.len(), model.len());
            }
            let listed: Vec<(String, u8)> = map.iter().map(|(k, v)| (k.to_string(), *v)).collect();
            let expected: Vec<(String, u8)> = model.iter().map(|(k, v)| (k.clone(), *v)).collect();
            prop_assert_eq!(&listed, &expected);
            let tail: Vec<&str> = map.range_from(Some(&from)).map(|(k, _)| k).collect();
            let model_tail: Vec<&str> = model.range::<str, _>((std::ops::Bound::Included(from.as_str()), std::ops::Bound::Unbounded)).map(|(k, _)| k.as_str()).collect();
            prop_assert_eq!(tail, model_tail);
            for k in ["a", "a/b", "ab", "b", "c", "é", "z", "zz"] {
                prop_assert_eq!(map.get(k), model.get(k));
                prop_assert_eq!(map.contains_key(k), model.contains_key(k));
            }
            prop_assert_eq!(
                serde_json::to_string(&map).unwrap(),
                serde_json::to_string(&model).unwrap()
            );
            prop_assert_eq!(map.values_mut().count(), model.len());
        }

        /// Read from JSON (sorted or not, keys repeated or not), a PathMap
        /// holds what a BTreeMap read from it does.
        #[test]
        fn a_path_map_reads_as_a_btreemap(pairs in prop::collection::vec((key(), any::<u8>()), 0..20)) {
            let text = format!(
                "{{{}}}",
                pairs
                    .iter()
                    .map(|(k, v)| format!("{}:{v}", serde_json::to_string(k).unwrap()))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let map: PathMap<u8> = serde_json::from_str(&text).unwrap();
            let model: BTreeMap<String, u8> = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(serde_json::to_string(&map).unwrap(), serde_json::to_string(&model).unwrap());
            prop_assert_eq!(map.len(), model.len());
        }

        /// Searches near the last places found answer as binary searches
        /// do: keys found, missing, in order or not, in lists that share
        /// the remembered places, and in a list changed in place (its
        /// address the same, its places no longer right).
        #[test]
        fn searching_near_finds_what_a_binary_search_does(
            a in prop::collection::btree_set("[a-d]{1,3}", 0..30),
            b in prop::collection::btree_set("[a-d]{1,3}", 0..30),
            lookups in prop::collection::vec((0..3u8, "[a-d]{1,3}"), 0..80),
        ) {
            let mut a: Vec<String> = a.into_iter().collect();
            let b: Vec<String> = b.into_iter().collect();
            let at = |l: &Vec<String>| l.as_ptr() as usize;
            for (which, key) in lookups {
                if which == 2 {
                    // Changed in place: the first key goes (the others
                    // move down one), keeping the allocation.
                    if !a.is_empty() {
                        a.remove(0);
                    }
                    continue;
                }
                let list = if which == 0 { &a } else { &b };
                let near = super::search_near(at(list), list, &key, |s| s.as_str());
                prop_assert_eq!(near, list.binary_search_by(|s| s.as_str().cmp(&key)));
            }
        }
    }

    /// Keys looked up one after another, as notes are vetted, are found
    /// from the place before (checked by what they find, as the hint is
    /// invisible): the next key, the one after it, and a key of a second
    /// region of the same list.
    #[test]
    fn a_run_of_keys_in_order_is_found_in_order() {
        let keys: Vec<String> = (0..1000)
            .map(|i| format!("letters/n{i:04}.md"))
            .chain((0..1000).map(|i| format!("summaries/n{i:04}.md")))
            .collect();
        let id = keys.as_ptr() as usize;
        for i in 0..1000 {
            for (dir, at) in [("summaries", 1000 + i), ("letters", i)] {
                let key = format!("{dir}/n{i:04}.md");
                assert_eq!(super::search_near(id, &keys, &key, |s| s.as_str()), Ok(at));
            }
        }
        assert_eq!(
            super::search_near(id, &keys, "letters/n0500x", |s| s.as_str()),
            Err(501)
        );
    }
}
