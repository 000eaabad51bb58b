"""Word lists for the demo network: names from many cultures, places, employers, schools, topics.

Lists are written as space-separated words to keep them short; an underscore stands for a space
inside one entry ("Blue_Harbor" is "Blue Harbor"). Native-script names are "family given
LatinFamily LatinGiven" so every person also has a Latin form for email addresses and handles.
"""

from __future__ import annotations

from dataclasses import dataclass


def words(text: str) -> tuple[str, ...]:
    """The entries of a space-separated list, with underscores turned back into spaces."""
    return tuple(w.replace("_", " ") for w in text.split())


def items(text: str) -> tuple[str, ...]:
    """The entries of a comma-separated list, stripped: for entries that contain spaces."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


@dataclass(frozen=True)
class Culture:
    """Where a person's name comes from: given and family names, name order, home cities, schools."""

    key: str
    weight: float
    given_m: tuple[str, ...]
    given_f: tuple[str, ...]
    family: tuple[str, ...]
    cities: tuple[str, ...]
    schools: tuple[str, ...]
    messaging: str = "WhatsApp"
    # Family name first in the Latin form (share of people), and native-script names.
    family_first: float = 0.0
    native: tuple[tuple[str, str, str, str], ...] = ()
    native_share: float = 0.0
    native_joined: bool = False  # written without a space (Chinese, Japanese, Korean)
    native_family_first: bool = True


def _native(text: str) -> tuple[tuple[str, str, str, str], ...]:
    out = []
    for entry in text.split(";"):
        family, given, latin_family, latin_given = entry.split()
        out.append((family, given, latin_family.replace("_", " "), latin_given.replace("_", " ")))
    return tuple(out)


# fmt: off
CULTURES: tuple[Culture, ...] = (
    Culture("anglo", 22,
        given_m=words("James Robert John Michael William David Richard Joseph Thomas Charles Christopher "
                      "Daniel Matthew Anthony Mark Andrew Joshua Ryan Liam Ethan Noah Oliver Jack George "
                      "Harry Connor Owen"),
        given_f=words("Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Emily "
                      "Olivia Emma Charlotte Amelia Grace Chloe Hannah Sophie Megan Zoe Lucy Harriet Isla "
                      "Ava Abigail Madison"),
        family=words("Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
                     "Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King "
                     "Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips "
                     "Campbell Parker Evans Edwards Collins Stewart Murphy Cook Rogers Morgan Cooper Bell "
                     "Murray O'Brien O'Connor MacDonald Fitzgerald Sullivan Hughes Price Bennett Wood "
                     "Barnes Ross Henderson Coleman Jenkins Perry Powell Patterson Fleming Doyle"),
        cities=words("New_York,_USA San_Francisco,_USA Seattle,_USA Austin,_USA Boston,_USA Chicago,_USA "
                     "London,_UK Manchester,_UK Edinburgh,_UK Dublin,_Ireland Toronto,_Canada "
                     "Vancouver,_Canada Sydney,_Australia Melbourne,_Australia Auckland,_New_Zealand"),
        schools=words("Stanford_University Massachusetts_Institute_of_Technology University_of_Michigan "
                      "University_of_Oxford University_of_Cambridge University_of_Toronto "
                      "University_of_Melbourne Imperial_College_London UC_Berkeley "
                      "Georgia_Institute_of_Technology Harvard_Business_School London_School_of_Economics "
                      "Trinity_College_Dublin University_of_Edinburgh"),
        messaging="iMessage",
    ),
    Culture("hispanic", 12,
        given_m=words("José Martín Mateo Sebastián Nicolás Jesús Andrés Raúl Ramón Joaquín Álvaro Óscar "
                      "Íñigo Adrián Javier Alejandro Gabriel Diego Julián Tomás Guillermo Rubén Héctor "
                      "Gonzalo"),
        given_f=words("María Lucía Sofía Valentina Camila Ana Inés Rocío Begoña Verónica Mónica Pilar "
                      "Carmen Fernanda Daniela Isabel Elena Marta Cristina Ángela Maribel Ximena Guadalupe"),
        family=words("García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres "
                     "Flores Rivera Gómez Díaz Cruz Morales Reyes Gutiérrez Ortiz Chávez Ruiz Jiménez "
                     "Álvarez Núñez Peña Muñoz Castillo Romero Vargas Herrera Medina Aguilar Vásquez Castro "
                     "Ibáñez Domínguez Suárez Méndez Ordóñez Benítez Echeverría Fernández Márquez Quiñones "
                     "Zúñiga"),
        cities=words("Madrid,_España Barcelona,_España Sevilla,_España Valencia,_España "
                     "Ciudad_de_México,_México Guadalajara,_México Monterrey,_México Bogotá,_Colombia "
                     "Medellín,_Colombia Lima,_Perú Santiago,_Chile Buenos_Aires,_Argentina "
                     "Montevideo,_Uruguay Quito,_Ecuador San_José,_Costa_Rica Miami,_USA"),
        schools=words("Universidad_Nacional_Autónoma_de_México Tecnológico_de_Monterrey "
                      "Universidad_de_los_Andes Pontificia_Universidad_Católica_de_Chile "
                      "Universidad_de_Buenos_Aires Universidad_Complutense_de_Madrid IE_Business_School "
                      "ESADE Universitat_Politècnica_de_Catalunya"),
    ),
    Culture("lusophone", 6,
        given_m=words("João Luís Gonçalo Thiago Lucas Matheus Caio Pedro Antônio Fábio Sérgio Rogério Bruno "
                      "Felipe"),
        given_f=words("Ana Beatriz Inês Gabriela Letícia Rafaela Júlia Vitória Conceição Márcia Cláudia "
                      "Tânia Mariana Larissa Renata Luíza"),
        family=words("Silva Santos Oliveira Souza Costa Pereira Ferreira Almeida Carvalho Gomes Ribeiro "
                     "Araújo Lima Barbosa Rocha Cardoso Nascimento Magalhães Gonçalves Simões Assunção "
                     "Brandão Guimarães Falcão Leitão Monteiro Teixeira Azevedo Moreira"),
        cities=words("São_Paulo,_Brasil Rio_de_Janeiro,_Brasil Belo_Horizonte,_Brasil Florianópolis,_Brasil "
                     "Recife,_Brasil Porto_Alegre,_Brasil Lisboa,_Portugal Porto,_Portugal"),
        schools=words("Universidade_de_São_Paulo Universidade_Estadual_de_Campinas Universidade_de_Lisboa "
                      "Fundação_Getulio_Vargas Universidade_Federal_do_Rio_de_Janeiro"),
    ),
    Culture("french", 6,
        given_m=words("François Benoît Gaël Mathéo Jérôme Stéphane Clément Loïc Théo Sébastien Frédéric "
                      "Julien Antoine Étienne Hugo Rémi"),
        given_f=words("Élodie Hélène Amélie Thérèse Léa Chloé Noémie Céline Zoé Maëlle Anaïs Camille "
                      "Aurélie Margaux Manon Juliette Solène"),
        family=words("Martin Bernard Dubois Robert Richard Petit Durand Leroy Moreau Lefèvre Lefebvre "
                     "Fontaine Rousseau Girard Bonnet Dupont Lambert Fournier Mercier Boucher Gauthier "
                     "Chevalier Bélanger Côté Gagné Pelletier Lévesque Bouchard Dufresne Ménard"),
        cities=words("Paris,_France Lyon,_France Toulouse,_France Bordeaux,_France Nantes,_France "
                     "Montréal,_Canada Québec,_Canada Bruxelles,_Belgique Genève,_Suisse"),
        schools=words("École_Polytechnique HEC_Paris Sciences_Po Université_de_Montréal INSEAD "
                      "Université_Paris-Saclay École_normale_supérieure"),
    ),
    Culture("german", 6,
        given_m=words("Jürgen Jörg Björn Günter Sören Lukas Maximilian Felix Jonas Moritz Tobias Florian "
                      "Sebastian Matthias Uwe Niklas Tim"),
        given_f=words("Leonie Anna Katharina Lena Hannah Sophie Johanna Annika Franziska Svenja Dörte "
                      "Mareike Lisa Jördis Käthe"),
        family=words("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer "
                     "Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger "
                     "Hofmann Hartmann Lange Schmitt Werner Krause Köhler Groß Jäger Günther Vogel Böhm "
                     "Weiß"),
        cities=words("Berlin,_Deutschland München,_Deutschland Hamburg,_Deutschland Köln,_Deutschland "
                     "Frankfurt_am_Main,_Deutschland Stuttgart,_Deutschland Wien,_Österreich "
                     "Zürich,_Schweiz"),
        schools=words("Technische_Universität_München Ludwig-Maximilians-Universität_München "
                      "Humboldt-Universität_zu_Berlin ETH_Zürich Universität_Wien RWTH_Aachen"),
    ),
    Culture("nordic", 4,
        given_m=words("Søren Bjørn Magnus Lars Nils Erik Kristoffer Mikkel Jónas Ólafur Sigurður Henrik "
                      "Oskar Sindre Rasmus Eero Väinö Jussi"),
        given_f=words("Åsa Ingrid Sigrid Astrid Freja Linnea Maja Elin Guðrún Þóra Katrín Tuva Mette Aino "
                      "Päivi Saara"),
        family=words("Andersen Hansen Nielsen Jensen Pedersen Kristiansen Johansson Lindqvist Lindgren "
                     "Bergström Åberg Nyström Sjöberg Ødegaard Sørensen Halvorsen Virtanen Korhonen Mäkinen "
                     "Nieminen Hämäläinen Laine Lehtonen Eriksson Holm Dahl Strand"),
        cities=words("Stockholm,_Sverige Göteborg,_Sverige Malmö,_Sverige Oslo,_Norge Bergen,_Norge "
                     "København,_Danmark Aarhus,_Danmark Helsinki,_Suomi Tampere,_Suomi Reykjavík,_Ísland"),
        schools=words("KTH_Royal_Institute_of_Technology Stockholm_School_of_Economics "
                      "Københavns_Universitet Aalto_University Háskóli_Íslands NTNU Lunds_universitet"),
    ),
    Culture("slavic", 6,
        given_m=words("Łukasz Paweł Wojciech Tomáš Jiří Dušan Miloš Nikola Marek Ondřej Krzysztof Michał "
                      "Dmitri Sergei Bohdan Taras Mykola Andrzej"),
        given_f=words("Małgorzata Agnieszka Katarzyna Zuzana Petra Jelena Ivana Aleksandra Anastasia Olga "
                      "Yulia Oksana Iryna Zofia Milena Věra"),
        family=words("Nowak Kowalczyk Wójcik Mazur Krawczyk Dvořák Novák Svoboda Černý Procházka Kučera "
                     "Horváth Petrović Jovanović Nikolić Kovačević Marković Shevchenko Kovalenko Bondarenko "
                     "Tkachenko Kravets Melnyk Dąbek Zając"),
        cities=words("Warszawa,_Polska Kraków,_Polska Wrocław,_Polska Gdańsk,_Polska Praha,_Česko "
                     "Brno,_Česko Bratislava,_Slovensko Beograd,_Srbija Zagreb,_Hrvatska Kyiv,_Ukraine "
                     "Lviv,_Ukraine Ljubljana,_Slovenija"),
        schools=words("Uniwersytet_Jagielloński Politechnika_Warszawska Univerzita_Karlova "
                      "České_vysoké_učení_technické Kyiv_Polytechnic_Institute Univerzitet_u_Beogradu"),
        native=_native("Иванов Дмитрий Ivanov Dmitri;Петрова Анастасия Petrova Anastasia;"
                       "Смирнов Сергей Smirnov Sergei;Кузнецова Ольга Kuznetsova Olga;"
                       "Волкова Юлия Volkova Yulia;Шевченко Оксана Shevchenko Oksana;"
                       "Коваленко Тарас Kovalenko Taras;Мельник Богдан Melnyk Bohdan"),
        messaging="Telegram", native_share=0.12, native_family_first=False,
    ),
    Culture("chinese", 9,
        given_m=words("Wei Lei Yang Jun Hao Qiang Tao Bo Haoran Zhiwei Kai Wenjun Xiaoming Jian Yong Zihao"),
        given_f=words("Fang Jing Li Na Min Xin Yu Ying Hui Ling Mei Jiahui Ruoxi Yiran Xiaoyu Zihan Ting"),
        family=words("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo "
                     "Zheng Liang Xie Song Tang Han Feng Deng Cao Peng"),
        cities=words("Shanghai,_China Beijing,_China Shenzhen,_China Hangzhou,_China Chengdu,_China "
                     "Hong_Kong Taipei,_Taiwan Singapore Vancouver,_Canada San_Francisco,_USA"),
        schools=words("Tsinghua_University Peking_University Fudan_University Zhejiang_University "
                      "National_Taiwan_University University_of_Hong_Kong Shanghai_Jiao_Tong_University"),
        native=_native("王 小明 Wang Xiaoming;李 娜 Li Na;张 伟 Zhang Wei;刘 洋 Liu Yang;"
                       "陈 静 Chen Jing;杨 帆 Yang Fan;黄 磊 Huang Lei;赵 敏 Zhao Min;吴 昊 Wu Hao;"
                       "周 杰 Zhou Jie;徐 婷 Xu Ting;孙 悦 Sun Yue;马 超 Ma Chao;朱 琳 Zhu Lin;胡 斌 Hu Bin;"
                       "郭 晶 Guo Jing;林 佳慧 Lin Jiahui;高 子涵 Gao Zihan;罗 一然 Luo Yiran;"
                       "郑 浩然 Zheng Haoran"),
        messaging="WeChat", family_first=0.4, native_share=0.3, native_joined=True,
    ),
    Culture("japanese", 4,
        given_m=words("Haruto Sōta Yūto Takumi Kenji Hiroshi Takeshi Daiki Ren Kaito Ryōta Kōji Shōhei"),
        given_f=words("Yui Aoi Hina Sakura Yuki Akiko Haruka Mei Rin Naomi Misaki Yōko Ayaka"),
        family=words("Satō Suzuki Takahashi Tanaka Watanabe Itō Yamamoto Nakamura Kobayashi Katō Yoshida "
                     "Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Mori Ōta Kōno"),
        cities=words("Tokyo,_Japan Osaka,_Japan Kyoto,_Japan Yokohama,_Japan Fukuoka,_Japan Sapporo,_Japan"),
        schools=words("University_of_Tokyo Kyoto_University Keio_University Waseda_University "
                      "Tohoku_University"),
        native=_native("佐藤 翔太 Satō Shōta;鈴木 陽菜 Suzuki Hina;高橋 健二 Takahashi Kenji;"
                       "田中 結衣 Tanaka Yui;渡辺 大輝 Watanabe Daiki;伊藤 さくら Itō Sakura;"
                       "山本 拓海 Yamamoto Takumi;中村 葵 Nakamura Aoi;小林 蓮 Kobayashi Ren;"
                       "加藤 美咲 Katō Misaki;吉田 直美 Yoshida Naomi;山田 太郎 Yamada Tarō"),
        messaging="LINE", family_first=0.3, native_share=0.3, native_joined=True,
    ),
    Culture("korean", 3,
        given_m=words("Min-jun Seo-jun Ji-ho Do-yun Hyun-woo Jae-won Sung-min Joon-young"),
        given_f=words("Seo-yeon Ji-woo Ha-eun Soo-ah Min-seo Ye-jin Eun-ji Hye-jin"),
        family=words("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin"),
        cities=words("Seoul,_South_Korea Busan,_South_Korea Incheon,_South_Korea Seongnam,_South_Korea"),
        schools=words("Seoul_National_University KAIST Yonsei_University Korea_University POSTECH"),
        native=_native("김 민준 Kim Min-jun;이 서연 Lee Seo-yeon;박 지호 Park Ji-ho;최 하은 Choi Ha-eun;"
                       "정 현우 Jung Hyun-woo;강 지우 Kang Ji-woo;조 예진 Cho Ye-jin;윤 재원 Yoon Jae-won"),
        messaging="KakaoTalk", family_first=0.3, native_share=0.25, native_joined=True,
    ),
    Culture("indian", 10,
        given_m=words("Arjun Rahul Vikram Aditya Rohan Sanjay Karthik Siddharth Amit Rajesh Venkatesh "
                      "Harpreet Anil Nikhil Pranav Deepak Suresh Imran Farhan Varun"),
        given_f=words("Priya Ananya Lakshmi Divya Kavya Neha Pooja Shreya Aishwarya Meera Sunita Deepika "
                      "Anjali Ishita Nandini Sneha Gurpreet Radhika Swati"),
        family=words("Sharma Patel Iyer Reddy Nair Gupta Singh Kumar Rao Menon Krishnan Venkataraman "
                     "Chatterjee Banerjee Mukherjee Desai Joshi Mehta Kapoor Malhotra Agarwal Pillai "
                     "Subramanian Bhat Khan Das Ghosh Chaudhary Naidu Shetty"),
        cities=words("Bengaluru,_India Mumbai,_India Hyderabad,_India Chennai,_India Pune,_India "
                     "New_Delhi,_India Gurugram,_India Kolkata,_India Dubai,_UAE London,_UK Seattle,_USA"),
        schools=words("IIT_Bombay IIT_Madras IIT_Delhi IIM_Ahmedabad BITS_Pilani Anna_University "
                      "University_of_Delhi Indian_Institute_of_Science"),
        native=_native("शर्मा प्रिया Sharma Priya;पटेल अर्जुन Patel Arjun;गुप्ता अनन्या Gupta Ananya;"
                       "सिंह विक्रम Singh Vikram"),
        native_share=0.04, native_family_first=False,
    ),
    Culture("arabic", 5,
        given_m=words("Mohammed Ahmed Omar Ali Youssef Khalid Hassan Ibrahim Tariq Karim Samir Walid Faisal "
                      "Ziad Rami"),
        given_f=words("Fatima Layla Noor Aisha Mariam Yasmin Huda Rania Salma Dina Leila Hana Amira Zeinab "
                      "Lina"),
        family=words("Al-Ali Al-Hashimi Haddad Khoury Mansour Nasser Saleh Farouk El-Sayed Abdullah "
                     "Al-Mansouri Hamdan Aziz Khalil Darwish Rahman Al-Farsi Bakr Sabbagh"),
        cities=words("Dubai,_UAE Abu_Dhabi,_UAE Riyadh,_Saudi_Arabia Jeddah,_Saudi_Arabia Doha,_Qatar "
                     "Amman,_Jordan Beirut,_Lebanon Cairo,_Egypt Casablanca,_Morocco Tunis,_Tunisia"),
        schools=words("American_University_of_Beirut Cairo_University American_University_in_Cairo "
                      "King_Abdullah_University_of_Science_and_Technology Khalifa_University"),
        native=_native("العلي محمد Al-Ali Mohammed;الهاشمي فاطمة Al-Hashimi Fatima;حداد عمر Haddad Omar;"
                       "خوري ليلى Khoury Layla;منصور يوسف Mansour Youssef;ناصر نور Nasser Noor;"
                       "صالح خالد Saleh Khalid;عبدالله مريم Abdullah Mariam"),
        native_share=0.2, native_family_first=False,
    ),
    Culture("nigerian", 5,
        given_m=words("Adébáyọ̀ Oluwaseun Chukwuemeka Emeka Tunde Babatunde Olumide Ifeanyi Chinedu Aminu "
                      "Musa Obinna Femi Kayode Segun Uche Yusuf"),
        given_f=words("Ngozi Chiamaka Adaeze Folake Funmilayo Yewande Ifeoma Chioma Amaka Zainab Hauwa "
                      "Bisola Temitope Nneka Ọlábísí Ayọ̀mídé Kemi"),
        family=words("Okafor Adeyemi Okonkwo Balogun Ọláníyan Eze Nwosu Adebayo Bello Abubakar Ogunleye Ojo "
                     "Afolabi Okeke Obi Chukwu Danjuma Akinyemi Adeleke Olawale Nnamdi Ibekwe Ogundipe"),
        cities=words("Lagos,_Nigeria Abuja,_Nigeria Ibadan,_Nigeria Port_Harcourt,_Nigeria Enugu,_Nigeria "
                     "Accra,_Ghana London,_UK Houston,_USA"),
        schools=words("University_of_Lagos Obafemi_Awolowo_University University_of_Ibadan "
                      "Covenant_University University_of_Nigeria_Nsukka"),
    ),
    Culture("east_african", 2,
        given_m=words("Kamau Otieno Kipchoge Mwangi Baraka Juma Odhiambo Tesfaye"),
        given_f=words("Wanjiru Akinyi Njeri Achieng Wambui Zawadi Amani Makeda"),
        family=words("Kamau Otieno Mwangi Ochieng Wanjiku Kariuki Kiptoo Njoroge Mutua Onyango Haile"),
        cities=words("Nairobi,_Kenya Mombasa,_Kenya Kigali,_Rwanda Kampala,_Uganda Dar_es_Salaam,_Tanzania "
                     "Addis_Ababa,_Ethiopia"),
        schools=words("University_of_Nairobi Strathmore_University Makerere_University "
                      "Addis_Ababa_University"),
    ),
    Culture("turkish", 3,
        given_m=words("Mehmet Mustafa Ahmet Emre Can Burak Çağlar Oğuz Barış Kerem"),
        given_f=words("Ayşe Elif Zeynep Şule Gül Özge İrem Büşra Derya Selin"),
        family=words("Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç "
                     "Aslan Çetin Koç Kurt Özkan Şimşek Polat"),
        cities=words("İstanbul,_Türkiye Ankara,_Türkiye İzmir,_Türkiye Antalya,_Türkiye Berlin,_Deutschland"),
        schools=words("Boğaziçi_Üniversitesi Orta_Doğu_Teknik_Üniversitesi İstanbul_Teknik_Üniversitesi "
                      "Koç_Üniversitesi"),
    ),
    Culture("vietnamese", 2,
        given_m=words("Văn_An Minh_Tuấn Quốc_Bảo Đức_Anh Hoàng_Nam Gia_Huy Thành_Long"),
        given_f=words("Thị_Hương Thu_Trang Ngọc_Lan Thanh_Hà Phương_Linh Bảo_Ngọc Mai_Anh"),
        family=words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương"),
        cities=words("Hà_Nội,_Việt_Nam Thành_phố_Hồ_Chí_Minh,_Việt_Nam Đà_Nẵng,_Việt_Nam "
                     "Hải_Phòng,_Việt_Nam"),
        schools=words("Đại_học_Quốc_gia_Hà_Nội Đại_học_Bách_khoa_Hà_Nội RMIT_University_Vietnam"),
        messaging="Zalo", family_first=0.8,
    ),
    Culture("greek", 2,
        given_m=words("Giorgos Dimitris Nikos Kostas Yannis Christos Panagiotis Stavros"),
        given_f=words("Eleni Maria Katerina Sofia Despina Ioanna Georgia Vasiliki"),
        family=words("Papadopoulos Georgiou Nikolaidis Karagiannis Vlachos Oikonomou Antoniou Christodoulou "
                     "Pappas"),
        cities=words("Athens,_Greece Thessaloniki,_Greece Nicosia,_Cyprus Heraklion,_Greece"),
        schools=words("National_Technical_University_of_Athens Aristotle_University_of_Thessaloniki"),
        native=_native("Παπαδόπουλος Γιώργος Papadopoulos Giorgos;Γεωργίου Ελένη Georgiou Eleni;"
                       "Νικολαΐδης Νίκος Nikolaidis Nikos;Οικονόμου Κατερίνα Oikonomou Katerina"),
        native_share=0.15, native_family_first=False,
    ),
    Culture("persian", 2,
        given_m=words("Ali Reza Amir Dariush Kaveh Babak Arash Siavash"),
        given_f=words("Shirin Parisa Nasrin Roya Leila Mahsa Niloufar Sara"),
        family=words("Hosseini Ahmadi Karimi Rezaei Moradi Jafari Tehrani Sadeghi Mohammadi Rahimi"),
        cities=words("Tehran,_Iran Isfahan,_Iran Shiraz,_Iran Toronto,_Canada Los_Angeles,_USA"),
        schools=words("Sharif_University_of_Technology University_of_Tehran "
                      "Amirkabir_University_of_Technology"),
        messaging="Telegram",
    ),
)
# fmt: on

# Schools anyone may have gone to, whatever their background.
GLOBAL_SCHOOLS = words(
    "Stanford_University Massachusetts_Institute_of_Technology INSEAD London_School_of_Economics "
    "National_University_of_Singapore ETH_Zürich University_of_Oxford Harvard_Business_School "
    "IE_Business_School University_of_Toronto Technische_Universität_München"
)
MIDDLE_NAMES = words("Anne Marie James Lee Rose Michael Elizabeth Jane Paul Grace Edward Louise Ray")
NICKNAMES = {
    "William": "Bill",
    "Robert": "Bob",
    "Elizabeth": "Liz",
    "Michael": "Mike",
    "Christopher": "Chris",
    "Jennifer": "Jen",
    "Matthew": "Matt",
    "Joshua": "Josh",
    "Abigail": "Abby",
    "Alejandro": "Alex",
    "Guadalupe": "Lupe",
    "Francisco": "Paco",
    "Katharina": "Kathi",
    "Maximilian": "Max",
    "Aleksandra": "Ola",
    "Oluwaseun": "Seun",
    "Chukwuemeka": "Emeka",
    "Babatunde": "Tunde",
    "Temitope": "Tope",
    "Venkatesh": "Venky",
    "Siddharth": "Sid",
    "Panagiotis": "Panos",
    "Funmilayo": "Funmi",
}
WESTERN_NICKNAMES = words("Kevin Amy Jason Grace Tony Vivian Eric Cindy Jack Lily Leo Coco Ken Emma")
PREFIXES = words("Dr. Prof.")
SUFFIXES = words("Jr. III PhD MBA")

COMPANY_STEMS = words(
    "Northwind Blue_Harbor Crescent Juniper Atlas Meridian Lumen Cobalt Evergreen Silverline Redwood "
    "Halcyon Polaris Quantix Vireo Kestrel Aurora Basalt Cedar Driftwood Ember Fjord Granite Helix Indigo "
    "Jade Kinetic Lattice Marigold Nimbus Obsidian Pinnacle Quartz Riverstone Sequoia Tidewater Vantage "
    "Willow Zenith Alder Birch Cascade Dune Falcon Glacier Iris Jasper Lotus Maple Nova Orchid Prism Raven "
    "Sable Terra Vela Wren Yarrow Zephyr Saffron Baobab Sakura Tamarind Olivo Acacia Monsoon Sirocco "
    "Caravel Amanecer Estrella Horizonte Nordlys Fjell Kilimanjaro Zambezi Himalaya Yangtze Andes Sahara "
    "Baltic Adriatic Danube Rhône Pampas Atacama Bosphorus Mekong Öresund Vltava Wisła Çınar Niger_Delta "
    "Table_Mountain Serengeti Altamira Équinoxe Lumière Sternwarte Hanseatic"
)
# (suffix, industry): the industry a company of that name is in.
COMPANY_KINDS: tuple[tuple[str, str], ...] = tuple(
    (suffix, industry)
    for suffix, industry in (
        entry.split(":")
        for entry in items(
            "Analytics:Software, Capital:Financial Services, Labs:Software, Health:Healthcare, "
            "Systems:Information Technology, Partners:Management Consulting, Logistics:Logistics, "
            "Energy:Renewable Energy, Robotics:Industrial Automation, Media:Media, Bank:Banking, "
            "Foods:Food & Beverage, Consulting:Management Consulting, Bio:Biotechnology, "
            "Insurance:Insurance, Studios:Entertainment, Pharma:Pharmaceuticals, Ventures:Venture Capital, "
            "Mobility:Automotive, Telecom:Telecommunications, Retail:Retail, Games:Video Games, "
            "Legal:Legal Services, Architects:Architecture, Learning:Education, Security:Cybersecurity, "
            "Payments:Financial Technology, Cloud:Cloud Computing, AI:Artificial Intelligence, "
            "Materials:Chemicals, Aerospace:Aerospace, Agritech:Agriculture, Hotels:Hospitality, "
            "Design:Design, Realty:Real Estate"
        )
    )
)

# department -> titles, from junior to senior.
DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "Engineering": items(
        "Software Engineer, Frontend Developer, Backend Developer, Mobile Developer, Site "
        "Reliability Engineer, Senior Software Engineer, Staff Engineer, Principal Engineer, "
        "Engineering Manager, Director of Engineering, VP of Engineering, CTO"
    ),
    "Data": items(
        "Data Analyst, Data Engineer, Data Scientist, Machine Learning Engineer, Senior Data "
        "Scientist, Analytics Manager, Head of Data"
    ),
    "Product": items(
        "Product Owner, Product Manager, Senior Product Manager, Group Product Manager, Director "
        "of Product, Chief Product Officer"
    ),
    "Design": items(
        "Product Designer, Brand Designer, UX Researcher, Senior Product Designer, Design Lead, "
        "Head of Design"
    ),
    "Marketing": items(
        "Marketing Coordinator, SEO Specialist, Growth Marketer, Content Strategist, Brand "
        "Manager, Marketing Manager, Head of Marketing, CMO"
    ),
    "Sales": items(
        "Sales Development Representative, Account Executive, Account Manager, Business Development "
        "Manager, Partnerships Manager, Sales Director, VP of Sales"
    ),
    "Finance": items(
        "Financial Analyst, Investment Analyst, Associate, Finance Manager, Controller, Vice "
        "President, Portfolio Manager, CFO"
    ),
    "People": items(
        "Recruiter, Talent Acquisition Partner, HR Business Partner, Learning & Development Lead, "
        "Head of People, Chief People Officer"
    ),
    "Legal": items("Paralegal, Legal Counsel, Compliance Officer, Senior Associate, General Counsel"),
    "Operations": items(
        "Operations Analyst, Supply Chain Analyst, Project Manager, Program Manager, Operations "
        "Manager, Procurement Lead, Chief Operating Officer"
    ),
    "Research": items(
        "Research Engineer, Research Scientist, Postdoctoral Researcher, Lab Manager, Principal Investigator"
    ),
    "Customer Success": items(
        "Support Engineer, Customer Success Manager, Solutions Engineer, Solutions "
        "Architect, Head of Customer Success"
    ),
    "Strategy": items("Strategy Consultant, Management Consultant, Senior Manager, Chief of Staff, Partner"),
    "Leadership": items("General Manager, Managing Director, Founder, Co-founder & CEO, CEO"),
}
DEGREES = items(
    "BSc Computer Science, BA Economics, BEng Mechanical Engineering, BBA, MSc Data Science, MBA, MA "
    "International Relations, LLB, LLM, PhD Physics, MSc Finance, BSc Mathematics, MEng Electrical "
    "Engineering, BA Design, MSc Marketing, BSc Biology, MPP, Executive MBA"
)
ASSOCIATIONS = items(
    "IEEE, ACM, Project Management Institute, CFA Institute, Society of Women Engineers, National Society "
    "of Black Engineers, Toastmasters International, American Marketing Association, Chartered Institute "
    "of Personnel and Development, Product Management Association, AIGA, Rotary International, "
    "Entrepreneurs' Organization, Institute of Directors, Verein Deutscher Ingenieure, Ordre des "
    "ingénieurs du Québec, Nigerian Society of Engineers, Institution of Engineers (India), Asociación de "
    "Emprendedores de Latinoamérica, Women in Tech Network"
)
ASSOCIATION_ROLES = words("member member member member volunteer board_member chapter_lead treasurer")
COMMUNITIES = items(
    "PyData Berlin, Lagos Startup Meetup, Women Who Code London, Tokyo Rust Meetup, ProductTank São "
    "Paulo, Design Buddies, Indie Hackers Bengaluru, Data Umbrella, Mind the Product Madrid, Climate Tech "
    "Collective, Founders Breakfast Dubai, Kraków Java User Group, Stockholm AI, Nairobi Dev Circle, "
    "Seoul Startup Grind"
)
EVENTS = items(
    "Web Summit, Collision, SXSW, Slush, VivaTech, GITEX Global, AfroTech, PyCon US, EuroPython, KubeCon "
    "Europe, NeurIPS, Money20/20 Europe, Mobile World Congress, CES, RSA Conference, TechCrunch Disrupt, "
    "Lagos Startup Week, Bengaluru Tech Summit, Tokyo Game Show, London Tech Week, Nordic Business Forum, "
    "Latin America Fintech Forum, Africa Tech Summit, Hong Kong FinTech Week, Hannover Messe, Women in "
    "Tech Global Conference"
)
MET_HOW = items(
    "at a conference, through a mutual friend, former colleague, classmate, LinkedIn, cold email, meetup, "
    "introduced by a colleague, alumni network, hackathon, mentoring programme, client project, job "
    "interview, podcast guest, board meeting, neighbour"
)
TAGS = words(
    "friend mentor mentee ex-colleague classmate investor recruiter client founder speaker alumni board "
    "family neighbour vip hiring-manager prospect partner journalist advisor conference open-source "
    "community volunteer"
)
# One vocabulary for interests, expertise and needs, so one person's need can meet another's expertise.
PROFESSIONAL_TOPICS = items(
    "machine learning, data engineering, product management, fundraising, venture capital, climate tech, "
    "renewable energy, fintech, payments, cybersecurity, cloud infrastructure, kubernetes, python, rust, "
    "UX research, design systems, growth marketing, SEO, content strategy, public speaking, negotiation, "
    "leadership, hiring, career change, mentoring, remote work, supply chain, healthcare, biotech, "
    "edtech, open source, real estate, private equity, M&A, accounting, employment law, intellectual "
    "property, sustainability, robotics, computer vision, NLP, large language models, mobile development, "
    "game development, startups, angel investing, board governance, go-to-market, sales enablement, "
    "customer success, pricing, community building, diversity and inclusion, job search, relocation, MBA "
    "admissions, co-founder search, seed funding, Series A"
)
HOBBIES = items(
    "photography, running, cycling, chess, cooking, travel, wine, hiking, yoga, football, basketball, "
    "reading, podcasts, film, languages, volunteering, jazz, climbing, gardening, board games"
)
PERSON_NOTES = (
    "Prefers {channel} to email.",
    "Kids: two. Loves {hobby}.",
    "Moved to {city} recently.",
    "Wants to talk about {topic} next time.",
    "Very generous with intros; owe them one.",
    "Met through {event}.",
    "Thinking about a move into {topic}.",
    "Great at {topic}; ask before the next launch.",
    "Vegetarian. Coffee, not lunch.",
    "Training for a marathon; ask how it went.",
)
INTERACTION_NOTES = (
    "Talked about {topic}.",
    "Promised to send an article on {topic}.",
    "Asked for an intro to someone at {company}.",
    "Catching up after {event}.",
    "Congratulated them on the new role.",
    "Discussed {topic}; follow up next month.",
    "They offered help with {topic}.",
    "Shared notes on {hobby}.",
    "Quick check-in, all good.",
    "Owe them a thank-you for the referral.",
)
PHONE_CODES = {
    "USA": "+1", "Canada": "+1", "UK": "+44", "Ireland": "+353", "Australia": "+61", "New Zealand": "+64",
    "España": "+34", "México": "+52", "Colombia": "+57", "Perú": "+51", "Chile": "+56", "Argentina": "+54",
    "Uruguay": "+598", "Ecuador": "+593", "Costa Rica": "+506", "Brasil": "+55", "Portugal": "+351",
    "France": "+33", "Belgique": "+32", "Suisse": "+41", "Schweiz": "+41", "Deutschland": "+49",
    "Österreich": "+43", "Sverige": "+46", "Norge": "+47", "Danmark": "+45", "Suomi": "+358",
    "Ísland": "+354", "Polska": "+48", "Česko": "+420", "Slovensko": "+421", "Srbija": "+381",
    "Hrvatska": "+385", "Ukraine": "+380", "Slovenija": "+386", "China": "+86", "Hong Kong": "+852",
    "Taiwan": "+886", "Singapore": "+65", "Japan": "+81", "South Korea": "+82", "India": "+91",
    "UAE": "+971", "Saudi Arabia": "+966", "Qatar": "+974", "Jordan": "+962", "Lebanon": "+961",
    "Egypt": "+20", "Morocco": "+212", "Tunisia": "+216", "Nigeria": "+234", "Ghana": "+233",
    "Kenya": "+254", "Rwanda": "+250", "Uganda": "+256", "Tanzania": "+255", "Ethiopia": "+251",
    "Türkiye": "+90", "Việt Nam": "+84", "Greece": "+30", "Cyprus": "+357", "Iran": "+98",
}  # fmt: skip
