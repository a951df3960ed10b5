# notes-vet'in Türkçe mesajları (Project Fluent, https://projectfluent.org).
#
# notes-vet'in bir kişiye gösterdiği her metin buradan ya da İngilizce ikizi
# templates/en/messages.ftl dosyasından gelir; ikisinde de aynı kimlikler
# bulunmalıdır (test paketi bunu denetler). Bir mesajı değiştirmek için onu
# `templates_dir` klasörünüzdeki `messages.ftl` (ya da `tr/messages.ftl`)
# dosyasına kopyalayın ve orada düzenleyin.
#
# Değişkenleri ($count, $date, ...) notes-vet doldurur: sayılar çoğul biçimini
# seçer ve dilin ayırıcılarıyla yazılır; tarihler yazıyla yazılır. Türkçede
# sayıdan sonra çoğul eki gelmediği için ("3 görüşme") çoğu sayı seçimi tek
# biçime indirildi.

## Tarihler

date-long = { $day } { $month } { $year }
month-1 = Ocak
month-2 = Şubat
month-3 = Mart
month-4 = Nisan
month-5 = Mayıs
month-6 = Haziran
month-7 = Temmuz
month-8 = Ağustos
month-9 = Eylül
month-10 = Ekim
month-11 = Kasım
month-12 = Aralık
weekday-mon = pazartesi
weekday-tue = salı
weekday-wed = çarşamba
weekday-thu = perşembe
weekday-fri = cuma
weekday-sat = cumartesi
weekday-sun = pazar
# Art arda iş günleri, "pazartesi–cuma".
day-range = { $first }–{ $last }
# İki ya da daha fazla gün dizisi veya tek gün, "pazartesi, çarşamba ve cuma".
list-and = { $head } ve { $last }

## Not biçiminin anahtar sözcükleri ve kararlar, bir kişinin okuyacağı biçimde.
## (JSON raporu İngilizce anahtar sözcükleri korur.)

verdict-accept = kabul
verdict-caution = dikkat
verdict-decline = ret
verdict-keep = devam
verdict-fire = sonlandırma
verdict-follow-up = takip
verdict-closed = kapalı
status-prospect = aday
status-active = aktif
status-paused = beklemede
status-ended = sona erdi
status-lost = kaybedildi
severity-error = hata
severity-warn = uyarı
severity-info = bilgi
severity-off = kapalı
tone-friendly = samimi
tone-neutral = nötr
tone-rude = kaba
tone-aggressive = saldırgan
# notes-vet'in tanıdığı iletişim kanalları; başka bir sözcük yazıldığı gibi gösterilir.
channel-phone = telefon
channel-call = arama
channel-email = e-posta
channel-message = mesaj
channel-sms = SMS
channel-meeting = toplantı
channel-video = görüntülü görüşme
channel-chat = sohbet
lost-reason-budget = Bütçe
lost-reason-needs-changed = Değişen ihtiyaçlar
lost-reason-product-returned = Ürün iadesi
lost-reason-dissatisfied = Memnuniyetsizlik
lost-reason-unknown = Bilinmeyen neden
lost-reason-other = Diğer
letter-rejection = ret mektubu
letter-termination = sonlandırma mektubu
letter-feedback = geri bildirim anketi
letter-expectations = beklenti mektubu
client-unnamed = (adsız müşteri)
yes = evet
origin-say-no = Müşteriye hayır demek için 7 durum
origin-toxic = Zehirli Bir Müşteriyi Ateşlemek İçin 4 Meşru Neden
origin-difficult = Enerjinizin Çekilmesine İzin Vermeyin: Zor Müşterilerle Başa Çıkmak İçin 4 İpucu
origin-lost = Kovuldunuz: Bir müşteri sizi reddettiğinde ne yapmalı
origin-note-format = not biçimi
origin-plugins = Lua eklentileri

## Kurallar: bir etiket, tek satırlık bir özet, `notes-vet explain` komutunun
## yazdırdığı açıklama, her bulgunun altında gösterilen öneri ve seçenek yardımı.

rule-NV001 = Geçersiz alan
    .summary = Üst bilgi bloğundaki (front matter) bilinen bir anahtarın biçimi yanlış
    .explanation =
        Üst bilgi bloğundaki (front matter) bilinen her anahtarın (bkz. SPEC, 1. bölüm) not biçiminin
        beklediği biçimde olup olmadığını denetler: tarihler YYYY-MM-DD, temas
        zamanları YYYY-MM-DDTHH:MM biçiminde olmalı; liste beklenen yerde liste,
        evet/hayır anahtarlarında true/false; `status` için `prospect`,
        `active`, `paused`, `ended`, `lost`; `tone` için `friendly`, `neutral`,
        `rude`, `aggressive` değerlerinden biri bulunmalı. `channel` serbest
        metindir (`phone`, `email`, `message`, ...), `lost.reason` da öyle:
        `budget`, `needs-changed`, `product-returned` ve `dissatisfied` panoda
        adlarıyla, diğer sözcükler “diğer” altında gruplanır; `unknown` neden
        yok demektir.

        Neden: bir kural ancak okuyabildiği değeri değerlendirebilir.
        `at: last tuesday` diye kaydedilmiş bir temas, aşırı temas denetiminde
        sessizce görünmez kalır; bu yüzden notes-vet tahmin yürütmek yerine
        bunu söyler. Bulgu, anahtarın yolunu (örneğin `contacts[2].at`) ve neyin
        beklendiğini belirtir; notun diğer bütün anahtarları yine incelenir.
        Puana hiçbir şey eklemez (ağırlık 0), ama bir hata olduğu için not
        düzeltilene kadar `check` komutunun 1 koduyla çıkmasına yol açar.
    .advice = Değeri beklenen biçime getirin; o zamana kadar diğer kurallar bu değeri kullanamaz.

rule-NV002 = Eklenti hatası
    .summary = Bir Lua kuralı bu notta hata verdi ya da kendisine ayrılan sınırı aştı
    .explanation =
        Bir eklenti klasöründeki Lua kuralı bu notu denetlerken hata verdiğinde
        ya da kendisine ayrılan süre veya bellek sınırını aştığında bildirilir.
        Mesaj, eklenti dosyasını, satırı ve kural kodunu belirtir. Diğer
        kurallar bu not için yine çalışır ve karar verilir; ancak başarısız
        olan kuralın söyleyeceği şey eksik kalmış olabilir.

        Neden: bozuk bir eklenti hiçbir zaman bir notu gizlememeli ya da
        çalışmayı durdurmamalı; nerede başarısız olduysa orada görünür olmalı.
    .advice = Eklenti dosyasını belirtilen satırda açıp kuralı düzeltin ya da `[rules.CODE]` içinde `severity = "off"` ile kapatın.

rule-NV003 = Bilinmeyen anahtar
    .summary = Not biçiminin tanımadığı bir anahtar, yanlış yazılmış bilinen bir anahtara benziyor
    .explanation =
        Üst bilgi bloğunun en üstünde ya da bilinen bir eşleme veya listenin
        içinde (`rate`, `contacts[2]`, ...) bulunan bilinmeyen bir anahtar,
        bilinen bir anahtarın farklı büyük/küçük harfle, `_` yerine `-` ya da
        boşlukla veya (beş ve daha uzun harfli anahtarlarda) bir iki harf
        farkla yazılmış hâli olduğunda tetiklenir: `Guarantee_Requested`,
        `guarantee-requested`, `gaurantee_requested`, `rate.quoteddd`.

        Neden: yanlış yazılmış bir anahtar sessizce yok sayılır; onu okuyan
        kural da hiç tetiklenmez. Bilinen hiçbir anahtara benzemeyen
        bilinmeyen anahtarlar sizindir (Obsidian'ın `tags`, `aliases` gibi
        anahtarları) ve sessiz kalır; Lua kuralları yine her anahtarı görür.
    .advice = Anahtarı önerilen adla yeniden adlandırın; anahtar size aitse bulguyu yok sayın.

rule-NV101 = Garanti talebi
    .summary = Müşteri, sonucun garanti edilmesini istiyor
    .explanation =
        `guarantee_requested` true olduğunda ya da `requests` maddelerinden biri
        `words` içindeki sözcüklerden birini içerdiğinde tetiklenir (büyük/küçük
        harf fark etmeksizin; `İ`, `I`, `ı` ve `i` aynı harf sayılır).

        Neden: hiçbir danışman bir sonucu dürüstçe yüzde yüz garanti edemez;
        çünkü sonuç, müşterinin kendi emeğine ve kimsenin kontrol edemediği
        şeylere de bağlıdır. Garantide ısrar eden bir müşteri, kendi başarısının
        bütün sorumluluğunu size yüklüyor demektir; başarı gelmediğinde suç da
        size kalır.
    .advice = Neyi taahhüt edebileceğinizi (emek, yöntem, ara hedefler) ve neyi edemeyeceğinizi açıklayın; müşteri yine de garanti isterse kibarca reddedin.
    .option-words = bir talepte garanti istendiğini gösteren sözcükler (büyük/küçük harf fark etmeksizin)

rule-NV102 = Gerçekçi olmayan beklenti
    .summary = Müşteri bir mucize ya da hizmetlerinizin dışında kalan bir şey istiyor
    .explanation =
        Bir `requests` maddesi `patterns` ifadelerinden birini (büyük/küçük harf
        fark etmeksizin) içerdiğinde ya da yapılandırmada `[practice] services`
        ayarlıyken notun `topic` değeri bu hizmetlerden biri olmadığında
        (büyük/küçük harf fark etmeksizin) tetiklenir.

        Neden: bazı istekler kimsenin elinden gelecek şeyler değildir (gelecek
        aya kadar bir milyon kazandıracak “sihirli” bir plan gibi); bazıları,
        işin müşteriye düşen kısmını sizin yapmanızı ister; bazıları da yalnızca
        sizin becerilerinizin ya da değerlerinizin dışındadır. Bunları üstlenmek
        iki taraf için de hayal kırıklığıyla sonuçlanır.
    .advice = Neyin gerçekçi olduğunu ve hizmetlerinizin kapsamına girdiğini yeniden açıkça söyleyin; kapsam dışında kalanlar için müşteriyi başka birine yönlendirin.
    .option-patterns = bir istekte gerçekçi olmayan bir beklentiye işaret eden ifadeler (büyük/küçük harf fark etmeksizin eşleşir)

rule-NV103 = Tekrarlanan yardım
    .summary = Bu müşteriye aynı konuda zaten yardım ettiniz
    .explanation =
        `prior_help` içindeki bir maddenin `topic` değeri, notun `topic`
        değeriyle aynı olduğunda (büyük/küçük harf fark etmeksizin) tetiklenir.

        Neden: iyi bir yardım, müşterinin sizsiz yoluna devam edebilmesini
        sağlar. Aynı kişiye aynı konuda tekrar tekrar yardım etmek onu
        bağımsızlaştırmak yerine size bağlar ve çoğu zaman önceki yardımın işe
        yaramadığını gösterir.
    .advice = Önceki önerilerin neden işe yaramadığını sorun; aynı işi yeniden üstlenmek yerine kendi başına devam edebileceği bir kaynak önerin.

rule-NV104 = Üçüncü kişi aracılığıyla başvuru
    .summary = Müşteri adına başka biri başvurdu
    .explanation =
        `applicant` ayarlı olduğunda ve değeri `self` olmadığında (örneğin
        `spouse`, `parent`, `friend`, `assistant`) tetiklenir.

        Neden: iş ancak onu gerçekten isteyen bir müşteriyle başarılı olur. Bir
        eş, anne baba ya da arkadaş birini getirdiğinde, işi yapması gereken
        kişi bunu kendisi seçmemiş olabilir. Size kendi isteğiyle gelen
        insanlarla çalışın.
    .advice = Hazır olduğunda sizinle doğrudan kendisinin iletişime geçmesini rica edin; bir aracı üzerinden işe başlamayın.

rule-NV105 = Sınır ihlali
    .summary = Müşteri etik ya da kişisel sınırları aştı
    .explanation =
        `incidents` en az bir madde içerdiğinde tetiklenir.

        Neden: etiği, kişisel alanınızı ya da haklarınızı hiçe sayan bir müşteri
        sizi tüketir ve bu durum genellikle büyür: iltifatlar bitmeyen
        şikâyetlere, şikâyetler de herkesin önünde intikam tehditlerine dönüşür.
        Harekete geçmek için kaydedilmiş tek bir olay yeterlidir. Bu aynı
        zamanda, müşterinin zor durumda olmasının hafifletmediği tek bulgudur
        (karar kurallarına bakın).
    .advice = Her olayı tarihiyle birlikte kaydedin; sınırınızı bir kez, yazılı olarak belirtin ve yeniden aşılırsa iş birliğini sonlandırın.

rule-NV106 = Ödenmemiş ek iş
    .summary = Anlaşılan kapsamın ötesinde, ücreti ödenmemiş iş birikti
    .explanation =
        `extra_work` maddelerinden ödenmemiş olanların `hours` toplamı en az
        `min_hours` olduğunda tetiklenir. `paid` içermeyen bir madde ödenmemiş
        sayılır.

        Neden: akşamlarınızı “ufak ricalarla” dolduran bir müşteri, özel
        zamanınızdan çalıyor demektir. Anlaşmanın dışında
        kalan her iş de iştir ve ücreti ödenmelidir.
    .advice = Ek işe başlamadan önce fiyatını bildirin; yapılmış olanı da faturalandırın.
    .option-min_hours = kuralı tetikleyen ödenmemiş ek saat sayısı

rule-NV107 = Ödeme sorunu
    .summary = Müşteri ücretinizi ödeyemiyor ya da ödemek istemiyor
    .explanation =
        `barter_offered` true olduğunda; `rate.requested` değeri `rate.quoted` ×
        (1 − `max_discount`) değerinin altında olduğunda; ya da bir fatura, `due`
        tarihinin üzerinden `overdue_days` günden fazla geçtiği hâlde
        ödenmemişse tetiklenir.

        Neden: sıkı pazarlık etmek, para yerine takas önermek ya da duygu
        sömürüsü yapmak (“beni bu hâlde bırakmazsınız herhalde”) hep aynı
        şeyi söyler: müşteri işin karşılığını ödeyemiyor ya da ödemek istemiyor.
        Buna rağmen işe başlamak iki tarafta da kırgınlık biriktirir.
    .advice = Ücretinizden taviz vermeyin; daha küçük bir bütçe için daha dar bir kapsam önerin ya da ödemeyi peşin isteyin.
    .option-max_discount = hâlâ kabul edilebilir en büyük indirim (teklifin oranı olarak)
    .option-overdue_days = ödenmemiş bir faturanın vade tarihinden sonra açık kalabileceği gün sayısı

rule-NV201 = Aşırı temas
    .summary = Müşteri sizinle çok sık ya da mesai saatleri dışında iletişime geçiyor
    .explanation =
        Temas kaydında son 7 günde (bugün dâhil) `max_per_week` değerinden fazla
        temas olduğunda ya da son 30 günde, saati mesai saatlerinizin dışına
        veya çalışmadığınız bir güne denk gelen en az `max_after_hours` temas
        olduğunda tetiklenir (`[practice] working_hours`, varsayılan
        09:00-18:00; 09:00 mesaiye dâhil, 18:00 değil; ve `working_days`,
        varsayılan pazartesi–cuma). Saati yazılmadan yalnızca tarihiyle
        kaydedilmiş bir temas hiçbir zaman mesai dışı sayılmaz.

        Neden: gece geç saatte arayan ve mesai saatlerini pekâlâ bekleyebilecek
        mesajlarla sizi boğan bir müşteri odağınızı dağıtır, dinlenmenize engel
        olur.
        Temasları saymak, bir hissi müşteriye gösterebileceğiniz bir kanıta
        dönüştürür.
    .advice = Müşteriye size ne zaman ve nasıl ulaşabileceğini bir kez, yazılı olarak bildirin; her teması saatiyle birlikte kaydedin ve böyle sürerse kaydı müşteriye gönderin.
    .option-max_per_week = son 7 günde izin verilen temas sayısı
    .option-max_after_hours = kuralı tetikleyen, son 30 gündeki mesai dışı temas sayısı

rule-NV202 = Gerçekçi olmayan süre
    .summary = Müşterinin istediği teslim tarihi, dürüst tahmininizden daha kısa bir süre bırakıyor
    .explanation =
        Durum prospect, active ya da paused olduğunda ve bugünden
        `deadline.requested` tarihine kalan gün sayısı
        `deadline.estimate_days` değerinden küçük olduğunda tetiklenir.

        Neden: bir aylık işi bir haftada bekleyen bir müşteri, ne yaparsanız
        yapın memnun olmaz. Kaçıracağınızı baştan bildiğiniz bir tarihe
        yetişmeye çalışmak yerine, işin ne kadar süreceğini ve neye mal
        olacağını başlamadan önce açıkça söyleyin.
    .advice = Tahmininizi ve neye dayandığını paylaşın; müşterinin istediği tarihe daha küçük bir ilk teslimat ya da işin tamamı için daha ileri bir tarih önerin.

rule-NV203 = Bedava beklentisi
    .summary = Müşteri sürekli indirim ya da ücretsiz iş istiyor
    .explanation =
        `discount_requests` değeri (`free_trial_requested` true ise bir
        eklenerek) en az `min_requests` olduğunda tetiklenir.

        Neden: bazı müşteriler hep bir fırsat peşindedir: daha düşük bir fiyat,
        özel bir teklif, ücretsiz bir deneme, denemeden sonra da bir indirim
        daha. İşinize yalnızca bedava olduğunda değer veren bir müşteri sonradan
        ödemeye başlamaz; onu daha ucuz bir hizmet sağlayıcıya yönlendirmek
        ikiniz için de en nazik cevap olabilir.
    .advice = Tek ve net bir fiyat listeniz olsun, ek indirimlere hayır deyin; müşteri için önemli olan yalnızca fiyatsa onu daha ucuz bir hizmet sağlayıcıya yönlendirin.
    .option-min_requests = kuralı tetikleyen indirim ya da ücretsiz deneme talebi sayısı

rule-NV204 = Saldırgan üslup
    .summary = Müşteri defalarca kaba ya da saldırgan davrandı
    .explanation =
        Son 90 gündeki (bugün dâhil) temaslardan en az `min_contacts` tanesinin
        üslubu `rude` ya da `aggressive` olduğunda tetiklenir.

        Neden: kaba ve buyurgan aramalar sizi ve ekibinizi yıpratır, diğer
        müşterilerinize ayırmanız gereken zamanı yer. Bir ajans bu tür her
        aramayı üç ay boyunca kaydetti ve kaydı, yeni bir tedarikçi bulmasını
        rica eden bir yazıyla birlikte müşteriye gönderdi: ilişkiyi sakin ve
        olgulara dayanarak bitirmenin bir yolu. notes-vet tarafından yazılan
        özet bu kaydı içerir.
    .advice = Her teması üslubuyla birlikte kaydetmeyi sürdürün; nasıl bir üslup beklediğinizi açıkça söyleyin ve böyle sürerse kaydı sonlandırma mektubunuzla birlikte gönderin.
    .option-min_contacts = kuralı tetikleyen, son 90 gündeki kaba ya da saldırgan temas sayısı

rule-NV301 = Beklentiler netleştirilmemiş
    .summary = Aktif bir müşteriye çalışma düzeninizi anlatan beklenti mektubunu hiç göndermediniz
    .explanation =
        Durum active olduğunda, `expectations_set` yoksa ve `since` yoksa ya da
        `grace_days` günden daha eskiyse tetiklenir.

        Neden: müşterilerle yaşanan sürtüşmelerin çoğu, kimsenin dile
        getirmediği beklentilerden doğar. İlk temasta müşteriye işin nasıl
        yürüdüğünü, neyi ne zamana kadar bekleyebileceğini, size nasıl ve ne
        zaman ulaşabileceğini anlatın. Bu kural tetiklendiğinde notes-vet bunun
        için bir beklenti mektubu taslağı hazırlar; gönderdiğiniz tarihi
        `expectations_set` alanına kaydedin.
    .advice = Beklenti mektubunu (işin nasıl yürüdüğü, takvim, size nasıl ulaşılacağı) gönderin ve tarihi `expectations_set` alanına kaydedin.
    .option-grace_days = `since` tarihinden sonra beklentilerin netleştirilmesi için tanınan gün sayısı

rule-NV302 = Zor durumdaki müşteri
    .summary = Müşteri zor bir dönemden geçiyor
    .explanation =
        `hardship` boş olmayan bir metin olduğunda tetiklenir.

        Neden: sorunu olan bir müşteri, sorunlu bir müşteri değildir. Ana
        yatırımcısını kaybetmiş ya da yas tutan biri bir süre sert ve talepkâr
        olabilir; bu, zor bir an yaşayan bir insandır, onunla yolları ayırmak
        için bir neden değil. Bu yüzden notes-vet, bir sınırı da aşmadıkça
        (NV105) zor durumdaki bir müşteri için hiçbir zaman “{ verdict-decline }” ya da
        “{ verdict-fire }” kararı vermez; karar “{ verdict-caution }” olur.
    .advice = Fazladan çaba gösterin: bir yanlış anlaşılma olduysa içtenlikle özür dileyin, somut bir şeyi düzeltmeyi önerin ve gerçekten yardım edin.

rule-NV303 = Açık yükümlülükler
    .summary = Yollarınızı ayırdığınız bir müşteriye hâlâ borçlu olduğunuz işler var
    .explanation =
        Notta `done` olmayan `obligations` maddeleri varsa ve kararı
        “{ verdict-fire }” ya da durumu `ended` ise tetiklenir. Karardan sonra değerlendirilir ve
        kararı hiçbir zaman değiştirmez.

        Neden: sizi tüketen bir müşteriyle yolları ayırmakta sakınca yok, ama
        ancak verilmiş her söz yerine getirildikten sonra. Hızlı ve profesyonelce,
        hakaret etmeden bitirin; aleyhinize kullanılabilecek yarım iş bırakmayın.
    .advice = Her açık yükümlülüğü tamamlayın ya da devredin ve sonlandırma mektubunuzda bunları tarihleriyle birlikte sayın.

rule-NV401 = Nedeni bilinmeyen kayıp
    .summary = Kaybedilen bir müşterinin ayrılma nedeni bilinmiyor
    .explanation =
        Durum lost olduğunda ve `lost.reason` yoksa ya da `unknown` ise
        tetiklenir.

        Neden: bir müşteri bir nedenle ayrılır: bütçesi daralmıştır,
        ihtiyaçları değişmiştir, bir ürün uymamış ve iade edilmiştir ya da
        gerçekten memnun kalmamıştır. Yalnızca sonuncusu işiniz hakkında bir
        şey söyler ve sormadan bunları birbirinden ayıramazsınız. Mesele
        nadiren kişiseldir; asıl nedeni bulun.
    .advice = Müşteriye nazikçe ve kısaca neden ayrıldığını sorun ve cevabı `lost.reason` alanına kaydedin.

rule-NV402 = Geri bildirim istenmemiş
    .summary = Kaybedilen bir müşteriden hiç geri bildirim istemediniz
    .explanation =
        Durum lost olduğunda ve `lost.feedback_requested` yoksa ya da false ise
        tetiklenir.

        Neden: bir müşteriyi kaybetmek de bir bilgidir. Yavaş hizmet,
        karşılanmayan beklentiler ya da hantal bir sipariş süreci
        düzeltilebilir, ama ancak bunları duyduğunuzda. Profesyonel ve nazik
        kalın, teşekkür edin ve kısa bir geri bildirim anketi gönderin; notes-vet
        kaybedilen her müşteri için bir anket taslağı hazırlar.
    .advice = notes-vet tarafından hazırlanan geri bildirim anketini gönderin ve tarihi `lost.feedback_requested` alanına kaydedin.

rule-NV403 = Zayıf müşteri akışı
    .summary = Son zamanlarda çok az yeni aday müşteri geldi
    .explanation =
        Klasör düzeyinde bir kural: durumu prospect olan ve `since` tarihi son
        30 gün içinde (bugün dâhil) kalan müşteri notu sayısı `min_new`
        değerinden az olduğunda tetiklenir.

        Neden: en iyi müşteriler bile bir gün ayrılır, bazılarıyla da yollarınızı
        siz ayırırsınız. Pazarlamayı sürdürün ve her gün tavsiye isteyin ki bir
        müşteriyi kaybetmek hiçbir zaman bir krize dönüşmesin.
    .advice = Memnun müşterilerinizden sizi başkalarına tavsiye etmelerini isteyin ve her hafta pazarlamaya biraz zaman ayırın.
    .option-min_new = son 30 günde beklenen yeni aday müşteri sayısı


## Kuralların bir not hakkında söyledikleri. Tırnak içindeki değer, notun kendi metnidir.

nv001-invalid = `{ $field }` { $expected } olmalı, bulunan: { $found }
nv003-typo = bilinmeyen anahtar `{ $key }`; `{ $known }` mi demek istediniz?
nv101-flag = müşteri, sonucun garanti edilmesini istiyor
nv101-request = “{ $request }” isteğinde garanti talep ediliyor
nv102-request = “{ $request }” isteği gerçekçi olmayan bir sonuç bekliyor (“{ $pattern }”)
nv102-service = “{ $topic }” konusu hizmetleriniz arasında değil ({ $services })
nv103-repeat = bu müşteriye “{ $topic }” konusunda zaten yardım ettiniz
nv103-repeat-on = bu müşteriye { $date } tarihinde “{ $topic }” konusunda zaten yardım ettiniz
nv104-third-party = üçüncü bir kişi aracılığıyla başvurdu ({ $applicant })
nv105-incident = sınır ihlali kaydedildi: “{ $what }”{ $dated ->
        [yes] {" "}({ $date } tarihinde)
       *[no] {""}
    }{ $more ->
        [0] {""}
       *[other] {" "}ve { $more } olay daha
    }
nv105-an-incident = bir olay
nv106-unpaid = { $hours } saatlik ek işin ücreti ödenmedi (eşik { $threshold } saat)
nv107-barter = ödeme yerine takas önerdi
nv107-discount = { $quoted } yerine { $requested } ödemek istedi (%{ $percent } daha az; en fazla %{ $allowed } kabul edilebilir)
nv107-invoice = { $named ->
        [yes] “{ $id }” numaralı fatura
       *[no] bir fatura
    } ödenmedi: vade tarihi { $due }, üzerinden { $days } gün geçti (sınır { $limit } gün)
nv201-week = son 7 günde { $count } temas (sınır { $limit })
nv201-after-hours = son 30 günde mesai saatleri ({ $hours }, { $days }) dışında { $count } temas (eşik { $threshold })
nv202-deadline = istenen teslim tarihi { $deadline }, yani { $left ->
        [today] bugün
       *[other] { $days } gün sonra
    }; oysa tahmininize göre iş { $estimate } gün sürer
nv202-deadline-passed = istenen teslim tarihi ({ $deadline }) { $days } gün önce geçti; oysa tahmininize göre iş { $estimate } gün sürer
nv203-freebies = { $discounts ->
        [0] bir ücretsiz deneme talebi
       *[other] { $discounts } indirim talebi{ $trial ->
            [yes] {" "}ve bir ücretsiz deneme talebi
           *[no] {""}
        }
    }: daha düşük fiyat ya da ücretsiz iş için toplam { $total } talep (eşik { $threshold })
nv204-hostile = son 90 günde { $count } kaba ya da saldırgan temas (eşik { $threshold })
nv301-since = { $days } gündür aktif ({ $since } tarihinden beri), ama beklentiler henüz netleştirilmedi (tanınan süre { $grace } gün)
nv301-no-since = aktif müşteri, ama beklentiler henüz netleştirilmedi
nv302-hardship = müşteri zor bir dönemden geçiyor: { $hardship }
nv303-obligations = { $ended ->
        [yes] iş birliği sona erdi
       *[no] karar “{ verdict-fire }”
    }, ama { $count } yükümlülük hâlâ açık: { $list }
nv303-obligation = { $what }
nv303-obligation-due = { $what } (son tarih { $due })
nv401-unknown = müşteri ayrıldı ve nedeni bilinmiyor
nv401-missing = müşteri ayrıldı ve hiçbir neden kaydedilmemiş
nv402-no-feedback = müşteri ayrıldı ve ondan geri bildirim istemediniz
nv403-thin = son 30 günde { $count } yeni aday müşteri (en az { $min } olmalı)

## NV001: bir anahtarın içermesi gereken değer ve bulunan değer.

expect-date = bir tarih (YYYY-MM-DD)
expect-moment = bir tarih ya da tarih-saat (YYYY-MM-DD, YYYY-MM-DDTHH:MM veya YYYY-MM-DD HH:MM)
expect-text = bir metin
expect-bool = true ya da false
expect-number = bir sayı
expect-count = 0 ya da daha büyük bir tam sayı
expect-list = bir liste
expect-status = prospect, active, paused, ended, lost değerlerinden biri
expect-rate = quoted, requested ve currency içeren bir eşleme
expect-deadline = requested ve estimate_days içeren bir eşleme
expect-lost = date, reason ve feedback_requested içeren bir eşleme
expect-lost-reason = bir metin: budget, needs-changed, product-returned, dissatisfied, unknown ya da kendi sözcükleriniz
expect-date-or-false = bir tarih (YYYY-MM-DD) ya da false
expect-paid-date = ödendiği tarih (YYYY-MM-DD) ya da false
expect-prior-help = date ve topic içeren bir eşleme
expect-contact = at, channel, tone ve note içeren bir eşleme
expect-tone = friendly, neutral, rude, aggressive değerlerinden biri
expect-invoice = id, amount, issued, due ve paid içeren bir eşleme
expect-extra-work = date, hours, paid ve note içeren bir eşleme
expect-incident = date ve what içeren bir eşleme
expect-obligation = what, due ve done içeren bir eşleme
expect-obligation-what = neyi borçlu olduğunuzu söyleyen bir metin
expect-ignore = bir kural kodu ya da code ve reason içeren bir eşleme
expect-rule-code = NV203 gibi bir kural kodu
expect-client = müşterinin adı (boş olmayan bir metin)
expect-known-rule = bilinen bir kuralın kodu (bkz. `notes-vet rules`)
found-missing = hiçbir şey (anahtar yok)
found-null = hiçbir şey (null)
found-bool = { $value } (mantıksal değer)
found-number = { $value } (sayı)
found-empty = boş bir metin
found-string = “{ $value }” metni
found-list = bir liste
found-raw = { $value }
found-mapping = bir eşleme

## Okunamayan üst bilgi blokları (front matter).

parse-unclosed = 1. satırda `{ $fence }` ile açılan üst bilgi bloğu (front matter) hiç kapatılmamış: ardından yalnızca `{ $fence }` içeren bir satır bekleniyordu
parse-too-large = üst bilgi bloğu { $kib } KiB sınırını aşıyor; okunmadı
parse-yaml = geçersiz YAML: { $detail }
parse-toml = geçersiz TOML: { $detail }
parse-yaml-colon = geçersiz YAML: değer beklenen yerde ikinci bir `:` var; içinde `: ` geçen bir değeri tırnak içine alın
parse-yaml-flow-sequence = geçersiz YAML: `[...]` içindeki liste kapatılmamış; `,` ya da `]` bekleniyordu
parse-yaml-flow-mapping = geçersiz YAML: `{"{"}...{"}"}` içindeki eşleme kapatılmamış; `,` ya da `{"}"}` bekleniyordu
parse-yaml-no-space = geçersiz YAML: `{ $key }` anahtarının `:` işaretinden sonra boşluk yok, bu yüzden YAML satırı metin olarak okuyor; `{ $key }: { $value }` yazın
parse-yaml-indent-mismatch = geçersiz YAML: bu satır { $spaces } boşlukla, üstündeki satır { $above } boşlukla girintili; aynı eşlemenin anahtarları aynı hizada olmalı
parse-yaml-expected-key = geçersiz YAML: burada bir anahtar bekleniyordu; girintiyi ve açılan her tırnağın kapatıldığını kontrol edin
parse-yaml-indentation = geçersiz YAML: bu satırın girintisi çevresindeki anahtarlarınkiyle uyuşmuyor
parse-yaml-list-item = geçersiz YAML: anahtar beklenen yerde `- ` ile başlayan bir liste öğesi var; girintiyi kontrol edin
parse-yaml-unclosed-quote = geçersiz YAML: tırnak içindeki bir değer kapatılmamış
parse-yaml-tab = geçersiz YAML: boşluk beklenen yerde sekme (tab) var; girintide boşluk kullanın
parse-yaml-no-value = geçersiz YAML: burada bir değer bekleniyordu
parse-many-documents = üst bilgi bloğu birden fazla YAML belgesi içeriyor; tek bir eşleme bekleniyordu
parse-unbalanced-sequence = geçersiz YAML: kapatılmamış liste
parse-unbalanced-mapping = geçersiz YAML: kapatılmamış eşleme
parse-unknown-alias = geçersiz YAML: takma ad (alias) bilinmeyen bir çapaya (anchor) işaret ediyor
parse-complex-key = liste ya da eşleme anahtar olarak kullanılamaz; `client` gibi düz bir anahtar bekleniyordu
parse-duplicate-key = `{ $key }` anahtarı yineleniyor (ilk kez { $line }. satırda verildi); her anahtar yalnızca bir kez yer alabilir
parse-too-deep = üst bilgi bloğu { $depth } düzeyden daha derin iç içe geçmiş
parse-too-many = üst bilgi bloğu { $count } değerden fazlasını içeriyor (takma adlar çok fazla olabilir); okunmadı
note-unreadable = not okunamıyor: { $error }
note-not-utf8 = not geçerli bir UTF-8 metni değil; UTF-8 olarak kaydedin
note-collision = bu notun oluşturulacak dosyaları, { $earlier } notunun dosyalarıyla aynı adı taşıyacaktı (dosya adları uzantı ve büyük/küçük harf gözetilmeden karşılaştırılır); iki nottan birinin adını değiştirin. Bu not için hiçbir şey yazılmadı
note-leftover = yarıda sonlandırılan bir çalıştırmanın bıraktığı bu geçici dosya silinemiyor: { $error }

## `check` komutunun terminal raporu.

report-score = puan { $score }
report-advice = öneri:
report-folder-finding = klasör düzeyinde bulgu
report-note = bilgi
report-kept = { $path } korundu: { $reason }
report-suppressed = vet_ignore ile susturuldu: { $codes }
report-not-vetted = bu not incelenmedi; klasörün geri kalanı incelendi
report-vetted = İncelenen
report-skipped = { $skipped } atlandı{ $templates ->
        [0] {""}
       *[other] , bunların { $templates } tanesi şablon
    }{ $linked ->
        [0] {""}
       *[other] , bir müşteriye bağlantı veren { $linked } not
    }
count-client-notes = { $count } müşteri notu
count-errors = { $count } hata
report-progress = notlar inceleniyor
cli-path-missing = { $path } bulunamadı
cli-outside-root = { $path }, { $root } not kökünün (notes-vet.toml dosyasının klasörü) dışında; bu klasörün içindeki yolları verin
report-no-notes = { $dir } altında müşteri notu bulunamadı ({ $skipped } markdown dosyası atlandı{ $linked ->
        [0] {""}
       *[other] , { $linked } tanesi bir müşteriye bağlantı veriyor
    }); hiçbir şey yazılmadı. Müşteri notu, üst bilgi bloğunda (front matter) müşterinin adını taşıyan bir `client` anahtarı bulunan markdown dosyasıdır.

## `notes-vet watch`: her değişiklik için bir satır.

live-unchanged = (yeniden okundu; karar ve bulgular değişmedi)
live-new = yeni
live-removed = kaldırıldı (oluşturulan { $count } dosya silindi)
live-folder = klasör
live-no-folder-findings = bulgu kalmadı
live-config = yapılandırma
live-rescan = yeniden tarama
live-kept = korundu: { $reason }
live-watching = { $dir } klasöründe { $count } not izleniyor ({ $how })
live-ctrl-c = Durdurmak için Ctrl-C
live-polling = { $ms } ms aralıklarla yoklanıyor
live-stopped = Durduruldu.
rescan-locked = yeni çıktı klasörü kilitli
rescan-writing-again = çıktı klasörüne yeniden yazılıyor
rescan-folder-back = notlar klasörü yeniden oluşturuldu
rescan-new-day = bugünün tarihi artık { $date }
rescan-overflow = olay kuyruğu taştı
rescan-output-removed = çıktı klasörü silindi; yeniden yazılıyor
rescan-collision = iki notun oluşturulan dosyaları aynı adları taşıyacaktı
watch-folder-removed = { $dir } notlar klasörü silindi; geri gelmesi bekleniyor
watch-config-removed-defaults = { $file } dosyası silindi; varsayılan ayarlar geçerli
watch-config-removed-other = { $file } dosyası silindi; { $other } dosyasındaki ayarlar geçerli
watch-config-reloaded = değiştiği için yeniden yüklendi: { $files }
watch-settings-reloaded = ayarlar yeniden yüklendi
watch-config-kept = { $error }; son geçerli ayarlar kullanılmaya devam ediyor
watch-inotify = { $error }; fs.inotify.max_user_watches değerini artırın ya da --poll ile çalıştırın
watch-inotify-limit = çekirdeğin inotify izleme sınırına ulaşıldı (fs.inotify.max_user_watches = { $limit }); `sudo sysctl fs.inotify.max_user_watches=524288` ile artırın (kalıcı olması için /etc/sysctl.d/ altına da yazın)
watch-cannot-watch = klasördeki değişiklikler izlenemiyor: { $error }
watch-polling-instead = { $why }; onun yerine { $ms } ms aralıklarla yoklanıyor

## `notes-vet rules` ve `notes-vet explain`.

explain-severity = Önem: { $severity } (varsayılan { $default }), ağırlık { $weight }
explain-runs-on = Kapsam: { $scope ->
        [note] her müşteri notu
        [after-verdict] her müşteri notu, kararı verildikten sonra (kararı hiçbir zaman değiştirmez)
       *[folder] tüm klasör, bir kez
    }
explain-from = Kaynak: “{ $origin }”
explain-reads = Okuduğu anahtarlar: { $keys }
explain-no-options = Seçenekler: `severity` ve `weight` dışında yok.
explain-options = Seçenekler (notes-vet.toml dosyasının `[rules.{ $code }]` bölümünde ayarlayın):
explain-now = şu an { $value }
explain-example = Kuralı tetikleyen bir örnek (bugün = { $today }):
explain-advice = Öneri: { $advice }
explain-unknown = bilinmeyen kural "{ $code }"; `notes-vet rules` bütün kuralları listeler
explain-unknown-near = bilinmeyen kural "{ $code }"; `{ $near }` mi demek istediniz? (`notes-vet rules` bütün kuralları listeler)
select-unknown = `{ $entry }` hiçbir kuralı belirtmiyor (NV201 gibi bir kod, NV2 gibi bir önek ya da bir kural adı olmalı); `notes-vet rules` bütün kuralları listeler
select-unknown-near = `{ $entry }` hiçbir kuralı belirtmiyor; `{ $near }` mi demek istediniz?
explain-keys-every = bilinen bütün anahtarlar
explain-keys-plugin = eklentinin okuduğu her şey
table-code = kod
table-name = ad
table-default = varsayılan
table-summary = özet
table-weight = ağırlık { $weight }
table-options = Seçenekler: { $options }.

## Yapılandırma hataları. `{ $key }`, notes-vet.toml içindeki anahtardır.

config-unreadable = yapılandırma dosyası okunamıyor: { $error }
config-invalid = { $detail }
config-unknown-key = bilinmeyen anahtar `{ $key }`; şunlardan biri bekleniyordu: { $known }
config-wrong-type = { $keyed ->
        [yes] `{ $key }`:{" "}
       *[no] {""}
    }{ $expected ->
        [count] bir tam sayı (0 ya da daha büyük)
        [int] bir tam sayı
        [number] bir sayı
        [bool] true ya da false
        [list] bir liste
        [text] bir metin
        [table] bir tablo (bir `[bölüm]`)
       *[other] başka bir değer ({ $detail })
    } bekleniyordu, bulunan: { $found }
config-toml-syntax = geçersiz TOML söz dizimi (ayrıntı: { $detail })
config-empty = `{ $key }` boş olamaz
config-dotdot = `{ $key }`: { $path } içinde `..` bulunmamalı; notlar klasörünün içinde bir klasör verin
config-folder = `{ $key }`: { $error }
config-glob = `exclude`: geçersiz glob "{ $pattern }": { $error }
config-hours = `practice.working_hours`: “HH:MM-HH:MM” biçiminde bir saat aralığı bekleniyordu (başlangıç bitişten önce olmalı), bulunan: "{ $found }"
config-day = `practice.working_days`: bilinmeyen gün "{ $found }"; mon, tue, wed, thu, fri, sat ya da sun bekleniyordu
config-language = `{ $key }`: "en" ya da "tr" bekleniyordu, bulunan: "{ $found }"
config-language-both = `language` ile `letters.language` birbirini tutmuyor ("{ $top }" ve "{ $letters }"); üst düzeydeki `language` ayarını bırakın, `letters.language` ayarını kaldırın
config-at-least-one = `{ $key }` en az 1 olmalı
config-severity-type = `rules.{ $code }.severity`: "off", "info", "warn", "error" değerlerinden biri bekleniyordu, bulunan: { $found }
config-severity = `rules.{ $code }.severity`: "off", "info", "warn", "error" değerlerinden biri bekleniyordu, bulunan: "{ $found }"
config-weight = `rules.{ $code }.weight`: 0 ile 1000 arasında bir tam sayı bekleniyordu, bulunan: { $found }
config-unknown-rule = `[rules.{ $code }]`: bilinmeyen kural kodu "{ $code }"; bilinen kodlar: { $known }
config-unknown-option = `rules.{ $code }.{ $name }`: bilinmeyen seçenek; izin verilen anahtarlar: severity, weight{ $known ->
        [none] {""}
       *[other] , { $known }
    }
config-option-type = `rules.{ $code }.{ $name }`: { $expected ->
        [int] bir tam sayı
        [float] bir sayı
        [text] bir metin
       *[list] metinlerden oluşan bir liste
    } bekleniyordu, bulunan: { $found }
config-no-file = --config { $path }: böyle bir dosya yok
catalog-not-utf8 = dosya geçerli bir UTF-8 metni değil
catalog-unreadable = okunamadı: { $error }
catalog-unknown-id = notes-vet'te yerine geçilecek `{ $id }` adlı bir mesaj yok; kimlikler notes-vet'in kendi messages.ftl dosyasındakilerdir
catalog-unknown-variable = `{ $id }` mesajı { $variable } değişkenini kullanıyor, ama notes-vet bu mesaja onu vermiyor; verdikleri: { $given }
catalog-unknown-reference = `{ $name }` ne notes-vet'in bir mesajı ne de bu dosyanın bir terimi
catalog-function = `{ $name }()` gibi işlevler kullanılamaz; notes-vet sayıları ve tarihleri kendisi biçimlendirir
catalog-duplicate = `{ $id }` bu dosyada iki kez tanımlanmış
catalog-too-deep = yer tutucular { $max } düzeyden daha derin iç içe geçmiş; mesajı daha düz yazın
catalog-control = bir mesajda denetim karakteri ({ $code }) kullanılamaz: terminalinizi değiştirebilir
catalog-unresolved = `{ $id }` metne dönüştürülemiyor: { $detail }
catalog-term-variable = `{ $id }` terimi { $variable } değişkenini kullanıyor, ama bir terim yalnızca çağrısında yazılan argümanları görür; değişkeni mesajın kendisinde kullanın
catalog-syntax = geçersiz Fluent sözdizimi: { $detail }
lang-unknown = "en" ya da "tr" bekleniyordu, bulunan: "{ $found }"

## Oluşturulan dosyalar: bir dosyanın neden korunduğu ya da neden yazılamadığı.
## Bunlar terminalde ve panoda gösterilir.

kept-edited = notes-vet yazdıktan sonra siz düzenlediniz
kept-edited-draft = siz düzenlediniz; daha yeni bir taslak { $draft } konumunda
kept-not-ours = notes-vet tarafından yazılmamış; dokunulmadı
kept-stale-edited = artık geçerli değil, ama siz düzenlediğiniz için yerinde kalıyor
kept-dashboard-aside = panoyu düzenlemişsiniz; sizin sürümünüz bu adla saklandı, pano yeniden oluşturuldu
kept-annotation-edited = notes-vet yazdıktan sonra notes-vet bloğunu düzenlediniz
kept-annotation-foreign = nottaki notes-vet bloğunu notes-vet yazmamış; korundu (yenisinin yazılması için bloğu silin)
kept-annotation-refused = notes-vet bloğu eklenmedi: { $why }
kept-annotation-changed = not incelenirken değişti; notes-vet bloğu eklenmedi
fail-remove-outputs = oluşturulan dosyaları silinemiyor: { $error }
fail-remove-stale = artık geçerli olmayan bir dosya silinemiyor: { $error }
fail-render = { $path } oluşturulamıyor: { $error }
fail-write = { $path } yazılamıyor: { $error }
fail-render-annotation = notes-vet bloğu oluşturulamıyor: { $error }
fail-annotate = nota notes-vet bloğu eklenemiyor: { $error }
fail-gitignore = .gitignore yazılamıyor: { $error }
fail-dashboard-write = pano yazılamıyor: { $error }
fail-dashboard-aside = düzenlediğiniz pano kenara kaydedilemiyor: { $error }
fail-dashboard-render = pano oluşturulamıyor: { $error }
fail-manifest = manifest dosyası { $dir } klasörüne kaydedilemiyor: { $error }
fail-sweep = artık geçerli olmayan dosyalar silinemiyor: { $error }

## Özetler, pano ve not içindeki blok. Bunlar markdown'dır: notes-vet nottan
## gelen metni kaçışlar, bu yüzden gördüğünüz biçimlendirmeyi koruyun.

summary-verdict = Karar: { $verdict } (puan { $score })
summary-status = Durum: **{ $status }**
summary-since = ilk temas: { $since }
summary-topic = konu: { $topic }
summary-vetted = İnceleme tarihi: { $today }
summary-note = not
summary-findings = Bulgular
summary-no-findings = Bulgu yok.
summary-advice = Öneriler
summary-silenced = `vet_ignore` ile susturulanlar: { $codes }.
summary-contacts = Temas kaydı
summary-contacts-intro = Bu kaydı saklayın; iş birliğini sonlandırmanız gerekirse sonlandırma mektubunuza ekleyin.
summary-obligations = Yükümlülükler
summary-due = son tarih { $date }
summary-letters = Mektuplar
summary-dashboard = Pano
summary-footer = notes-vet tarafından oluşturuldu. Dilediğiniz gibi düzenleyebilirsiniz; düzenlediğiniz dosyanın üzerine bir daha yazılmaz.
col-code = kod
col-rule = kural
col-severity = önem
col-message = mesaj
col-key = anahtar
col-line = satır
col-date = tarih
col-time = saat
col-channel = kanal
col-tone = üslup
col-after-hours = mesai dışı
col-note = not
col-verdict = karar
col-clients = müşteri sayısı
col-client = müşteri
col-status = durum
col-score = puan
col-top = öne çıkan bulgular
col-letters = mektuplar
dashboard-title = Müşteri panosu
chart-verdicts = Kararlara göre müşteriler
chart-prospects = Aylara göre yeni aday müşteriler, çizgi NV403'ün beklediği sayı
chart-prospects-axis = aday
chart-lost = Nedenlerine göre kaybedilen müşteriler
chart-contacts = Haftalara göre temaslar, çizgiler mesai dışı ile kaba ya da saldırgan olanlar
chart-contacts-axis = temas
chart-invoices = Faturalara göre gecikme günleri
chart-invoices-axis = gün
base-clients = Müşteriler
base-letters = Bekleyen mektuplar
dashboard-intro = { $today } tarihinde { $total } müşteri notu incelendi{ $skipped ->
        [0] {""}
       *[other] ; { $skipped } not atlandı
    }{ $errors ->
        [0] {""}
       *[other] ; { $errors } not okunamadı
    }.
dashboard-clients = Müşteriler, en sorunludan başlayarak
dashboard-folder = Klasör geneli
dashboard-lost = Kaybedilen müşteriler (nedenlerine göre)
dashboard-waiting = Gönderilmeyi bekleyen mektuplar
dashboard-waiting-intro = Bu sayfa her çalıştırmada yeniden yazılır: gönderdiklerinizi buraya değil, müşterinin notuna kaydedin.
dashboard-letter-for = { $client } için { $letter }
# $key, nota kaydedilecek anahtar ve tarihtir (örneğin `rejection_sent: 2026-11-23`
# ya da `lost` içindeki `feedback_requested: 2026-11-23`); $note, notun
# bağlantısıdır (bağlantı metni: dashboard-the-note).
dashboard-record-sent = gönderdikten sonra { $note } { $key } olarak kaydedin (tarih yerine gönderdiğiniz günü yazın)
dashboard-nested-key = { $parent } içindeki { $key }
dashboard-the-note = notuna
dashboard-kept = Düzenlediğiniz için korunan dosyalar
dashboard-errors = Okunamayan notlar
dashboard-error-line = satır { $line }
annotation-head = notes-vet: { $verdict } (puan { $score }, { $today })
annotation-line = satır { $line }
annotation-full = Özetin tamamı
annotate-many-markers = notta notes-vet bloğunun { $begins } başlangıç ve { $ends } bitiş işareti var; her birinden bir tane olmalı
annotate-unbalanced = notes-vet bloğunun işaretleri eşleşmiyor (bitişi olmayan bir başlangıç ya da başlangıcı olmayan bir bitiş)
annotate-end-first = notes-vet bloğunun bitiş işareti, başlangıç işaretinden önce geliyor
annotate-in-code = notes-vet bloğunun bir işareti kod bloğunun içinde duruyor; dışarı taşıyın ya da silin
clean-unreadable = not okunamadı ({ $error }); varsa notes-vet bloğuna dokunulmadı
clean-block-left = notes-vet bloğuna dokunulmadı: { $why }
clean-block-edited = notes-vet bloğu, notes-vet yazdıktan sonra düzenlenmiş (ya da onu notes-vet yazmamış); dokunulmadı

## Komut satırı.

cli-error = hata
cli-folder-missing = not klasörü bulunamadı: { $dir }
cli-folder-not-dir = { $dir } bir klasör değil; not klasörü olarak bir klasör verin
cli-report-write = rapor yazılamadı: { $error }
cli-today = { $source }: YYYY-MM-DD biçiminde bir tarih bekleniyordu, bulunan: "{ $found }"
cli-poll = --poll: aralık en az 1 ms olmalı
cli-ctrl-c = Ctrl-C yakalanamıyor: { $error }
cli-refuse-overwrite = şu dosyalar zaten var, üzerlerine yazılmaz: { $paths }; hiçbir şey yazılmadı
cli-cannot-write = yazılamadı: { $path } ({ $error })
cli-cannot-create = oluşturulamadı: { $path } ({ $error })
cli-created = oluşturuldu: { $path }
cli-init-next = Sıradaki adım: notes-vet.toml dosyasını düzenleyin, sonra `notes-vet check { $dir }` komutunu çalıştırın
cli-rule-name = kural adı "{ $name }" kebab-case yazılmalı, örneğin slow-payer
cli-created-rule = oluşturuldu: { $path } (kural { $code })
cli-plugins-on = eklentileri notes-vet.toml dosyasında açın:
cli-rule-then = ardından bu kural `notes-vet explain { $code }` ve `notes-vet check` komutlarında kullanılır
clean-kept = { $path } korundu: { $reason }
clean-would-remove = silinecek: { $path }
clean-would-strip = { $path } notundaki notes-vet bloğu silinecek
clean-would = Deneme: { $files } oluşturulmuş dosya ve { $blocks } notes-vet bloğu silinecekti; hiçbir şey değiştirilmedi.
clean-removed = { $files } oluşturulmuş dosya ve { $blocks } notes-vet bloğu silindi.

## Çıktı klasörünün tek yazıcı kilidi.

lock-held-by = notes-vet { $command } (pid { $pid }) şu anda { $output } klasörüne yazıyor; önce onu durdurun ya da --no-write ile çalıştırın
lock-held = başka bir notes-vet şu anda { $output } klasörüne yazıyor; önce onu durdurun ya da --no-write ile çalıştırın
lock-io = { $output } kilitlenemiyor: { $error }

## Lua eklentileri: bir eklentinin neden yüklenemediği ya da çalışamadığı.
## Lua'nın kendi verdiği hata (eklentinin kendi sözleri) olduğu gibi gösterilir.

plugin-folder-unreadable = eklenti klasörü okunamıyor: { $error }
plugin-unreadable = okunamıyor: { $error }
plugin-lua = { $error }
plugin-code-taken = { $code } kural kodu başka bir kural tarafından kullanılıyor; kodlar benzersiz olmalı
plugin-no-check = kural tablosunda `check` işlevi yok
plugin-not-string = `{ $key }` bir metin olmalı
plugin-no-code = kural tablosunda `code` yok (örneğin code = "PAY001")
plugin-bad-code = "{ $code }" kodu önce harflerden, sonra rakamlardan oluşmalı; örneğin PAY001
plugin-nv-code = "{ $code }" kodu NV ile başlıyor; NV yerleşik kurallara ayrılmıştır
plugin-no-name = kural tablosunda `name` yok (kebab-case, örneğin "slow-payer")
plugin-bad-name = "{ $name }" adı kebab-case yazılmalı, örneğin "slow-payer"
plugin-bad-severity = "{ $severity }" önemi off, info, warn, error değerlerinden biri olmalı
plugin-option-names = `options` anahtarları ad olmalı
plugin-option-list = `{ $key }` seçeneği metinlerden oluşan bir liste olmalı
plugin-option-type = `{ $key }` seçeneği bir sayı, bir metin ya da metinlerden oluşan bir liste olmalı
plugin-options-table = `options`, seçenek adlarını ve varsayılan değerlerini içeren bir tablo olmalı
plugin-option-help = eklentide tanımlı
plugin-no-runtime = Lua çalışma ortamı başlatılamıyor: { $error }
plugin-note-pass = not Lua'ya aktarılamıyor: { $error }
plugin-not-run = çalıştırılmadı: eklentiler bu not için zaten { $max } bulgu döndürdü (kural { $code })
plugin-failed = { $error } (kural { $code })
plugin-at = { $at }: { $what }
plugin-time = süre sınırı aşıldı
plugin-memory = bellek sınırı aşıldı
plugin-finding-message = bir bulgu tablosunda `message` metni olmalı
plugin-field-long = `field` { $max } bayttan uzun; "contacts" gibi bir anahtar adı olmalı
plugin-field-type = `field`, "contacts" gibi bir metin olmalı
plugin-too-many = check { $count } bulgu döndürdü; bir kural bir not için en fazla { $max } bulgu döndürebilir
plugin-finding-list = bir bulgu listesi yalnızca tablolar ya da metinler içerebilir
plugin-return-type = check { $kind } türünde bir değer döndürdü; nil, bir mesaj, bir bulgu tablosu ya da bunların listesi bekleniyordu
plugin-turned-off = { $code }, { $count } notta süre ya da bellek sınırını aştığı için bu çalıştırmanın geri kalanında kapatıldı: { $at }
plugin-field-missing = `{ $field }` alanı notta yok; { $code } bulgusu `client` satırında gösteriliyor

## Düzenleyici bağlantısı (`notes-vet lsp`)

lsp-silence = { $code } kuralını bu notta sustur
lsp-key-read-by = `{ $key }` anahtarını okuyan kurallar:
lsp-key-unread = `{ $key }`: bu anahtarı tek başına okuyan bir kural yok (NV001 ve NV003'ün anahtar denetimleri onu da kapsar).
lsp-not-vetted = Denetlenmedi: bu notun ayarları yüklenemiyor. { $error }
lsp-failed = Denetlenmedi: notes-vet bu notta hata verdi ({ $error }). Lütfen notun ön bilgisiyle birlikte bildirin.

## Ayrıştırma önbelleği

cli-warning = uyarı
cache-ignored = ayrıştırma önbelleği { $path } yok sayıldı: { $why }. Her not yeniden okunuyor ve önbellek yeniden oluşturuluyor.
cache-ignored-read = ayrıştırma önbelleği { $path } yok sayıldı: { $why }. Her not yeniden okunuyor (yazan bir çalıştırma önbelleği yeniden oluşturur).
listing-ignored = klasör listesi { $path } yok sayıldı: { $why }. Her klasör yeniden listeleniyor ve liste yeniden oluşturuluyor.
listing-ignored-read = klasör listesi { $path } yok sayıldı: { $why }. Her klasör yeniden listeleniyor (yazan bir çalıştırma listeyi yeniden oluşturur).
cache-unwritten = ayrıştırma önbelleği { $path } yazılamadı ({ $error }); sonraki çalıştırma her notu yeniden okuyacak
cache-why-not-file = normal bir dosya değil
cache-why-foreign = bir notes-vet önbelleği değil
cache-why-short = yarıda kesilmiş
cache-why-index = dizini bozuk
listing-why-damaged = bozuk
cache-why-io = okunamıyor ({ $error })
